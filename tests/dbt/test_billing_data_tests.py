"""The data tests on raw billing lines check only what the warehouse schema does not already guarantee: a
not_null test on a column the migrations declare NOT NULL cannot fail, and scans every billing line each build."""

import json

from cloudforge.warehouse import connect, create_database, ensure_schema
from support.dbt_manifest import current_manifest

# The billing relations dbt reads whole, with the raw table whose columns they carry under the same names.
BILLING_RELATIONS = {
    "source.cloudforge.billing.focus_charges": "focus_charges",
    "model.cloudforge.stg_billing__focus_charges": "focus_charges",
    "source.cloudforge.billing.load_log": "load_log",
    "model.cloudforge.stg_billing__slice_loads": "load_log",
}


def test_no_not_null_test_repeats_a_not_null_constraint_of_the_raw_billing_tables(warehouse_url):
    url = create_database(warehouse_url, "billing_data_tests")
    with connect(url) as conn:
        ensure_schema(conn)
        not_null = set(conn.execute("""
            SELECT table_name, column_name FROM information_schema.columns
            WHERE table_schema = 'raw_billing' AND is_nullable = 'NO'
        """).fetchall())
    manifest = json.loads(current_manifest().read_text())
    redundant = [
        (parent, node["column_name"])
        for node in manifest["nodes"].values()
        if node["resource_type"] == "test" and (node.get("test_metadata") or {}).get("name") == "not_null"
        for parent in node["depends_on"]["nodes"]
        if (BILLING_RELATIONS.get(parent), node["column_name"]) in not_null
    ]
    assert ("focus_charges", "provider") in not_null  # the constraints the tests would repeat are there
    assert redundant == []
