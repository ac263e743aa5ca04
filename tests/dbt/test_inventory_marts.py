"""The inventory marts after one `dbt build` over the hand-built raw inventory in conftest.

Expectations are worked out by hand from RAW_RESOURCES and REQUIRED_TAGS (team, env, owner, cost-center).
"""

import json
from datetime import datetime, timezone
from decimal import Decimal

from dagster import AssetKey
from dbt_raw_inventory import RAW_RESOURCES, SYNCED_AT, A, B

from cloudforge.warehouse import connect

A_US, A_GLOBAL, B_EU = f"aws/{A}/us-east-1/", f"aws/{A}/global/", f"aws/{B}/eu-west-1/"


def rows(url: str, query: str) -> list[tuple]:
    with connect(url) as conn:
        return conn.execute(query).fetchall()


def utc(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=timezone.utc)


# resource_key -> (name, state, created_at, team, project, env, owner)
EXPECTED_RESOURCES = {
    f"{A_US}ec2_instance/i-0a1": ("web-1", "running", utc(2024, 1, 15, 8, 30), "payments", "checkout", "prod",
                                  "alice@example.com"),
    f"{A_US}ec2_instance/i-0a2": ("i-0a2", "stopped", utc(2024, 2, 1, 8, 0), "data", None, "dev", "bob"),
    f"{A_US}ebs_volume/vol-1": ("vol-1", "in-use", utc(2024, 1, 15, 8, 29), "data", None, "staging", None),
    f"{A_US}ebs_snapshot/snap-1": ("snap-1", "completed", utc(2024, 3, 1), None, None, None, None),
    f"{A_US}elastic_ip/eipalloc-1": ("spare-ip", "unassociated", None, "net", None, "prod", "carol"),
    f"{A_US}security_group/sg-1": ("web-sg", None, None, "payments", None, "prod", "alice"),
    f"{A_US}vpc/vpc-1": ("main", "available", None, None, None, None, None),
    f"{A_US}subnet/subnet-1": ("subnet-1", "available", None, "data", None, "prod", "dan"),
    f"{A_US}s3_bucket/logs-bucket": ("logs-bucket", None, utc(2023, 11, 5, 12), "data", None, "prod", "erin"),
    f"{A_GLOBAL}iam_user/alice": ("alice", None, utc(2022, 5, 1), None, None, None, None),
    f"{A_GLOBAL}iam_role/deployer": ("deployer", None, utc(2022, 6, 1), "platform", None, "prod", "ops"),
    f"{B_EU}rds_instance/orders-db": ("orders-db", "available", utc(2023, 3, 3, 3, 3, 3),
                                      "payments", "orders", "prod", "frank"),
    f"{B_EU}lambda_function/resize": ("resize", None, None, "media", None, "dev", "gus"),
    f"{B_EU}load_balancer/web-lb": ("web-lb", "active", utc(2024, 4, 4, 4, 4, 4),
                                    "payments", None, "prod", None),
    f"{B_EU}kms_key/key-1": ("key-1", "Enabled", utc(2023, 1, 1), None, None, None, None),
    f"{B_EU}ec2_instance/i-0b1": ("i-0b1", "running", utc(2024, 5, 5, 5, 5, 5), "data", None, None, None),
}


def test_resources_have_derived_names_states_and_normalised_tags(inventory_url):
    found = rows(
        inventory_url,
        "select resource_key, name, state, created_at, team, project, env, owner from marts.resources",
    )
    assert {key: tuple(values) for key, *values in found} == EXPECTED_RESOURCES


def test_resources_keep_identity_tags_and_document(inventory_url):
    found = rows(
        inventory_url,
        "select cloud, account_id, region, resource_type, resource_id, arn, tags, configuration, synced_at"
        " from marts.resources",
    )
    expected = {
        ("aws", account, region, rtype, rid, arn,
         json.dumps({t["Key"]: t["Value"] for t in doc["Tags"] if "Key" in t}, sort_keys=True),
         json.dumps(doc, sort_keys=True), datetime.fromisoformat(SYNCED_AT))
        for account, region, rtype, rid, arn, doc in RAW_RESOURCES
    }
    assert {
        (*identity, json.dumps(tags, sort_keys=True), json.dumps(doc, sort_keys=True), synced_at)
        for *identity, tags, doc, synced_at in found
    } == expected


def test_resource_tags_are_long_form_with_canonical_keys(inventory_url):
    found = rows(
        inventory_url,
        "select tag_key, tag_value, canonical_key from marts.resource_tags"
        f" where resource_key = 'aws/{A}/us-east-1/elastic_ip/eipalloc-1'",
    )
    assert sorted(found, key=lambda row: row[0]) == [
        ("Name", " spare-ip ", None),
        ("cost-center", "cc-3", None),
        ("department", "Net", "team"),
        ("env", "prod", "env"),
        ("owner", "carol", "owner"),
        ("team", " ", "team"),
    ]
    [counts] = rows(inventory_url, "select count(*), count(canonical_key) from marts.resource_tags")
    assert counts == (46, 36)  # every well-formed tag; 36 of them mean team, project, env or owner


def test_missing_required_tags_follow_the_settings_order(inventory_url):
    found = dict(rows(inventory_url, "select resource_key, missing_tags from marts.missing_required_tags"))
    everything = ["team", "env", "owner", "cost-center"]
    assert found == {
        f"{A_GLOBAL}iam_user/alice": everything,
        f"{A_US}ebs_snapshot/snap-1": everything,
        f"{A_US}vpc/vpc-1": everything,
        f"{B_EU}kms_key/key-1": everything,
        f"{A_US}ebs_volume/vol-1": ["owner", "cost-center"],
        f"{A_US}security_group/sg-1": ["cost-center"],
        f"{B_EU}ec2_instance/i-0b1": ["env", "owner", "cost-center"],
        f"{B_EU}load_balancer/web-lb": ["owner", "cost-center"],
        f"{B_EU}rds_instance/orders-db": ["cost-center"],
    }


def test_tag_coverage_per_account_and_team(inventory_url):
    found = rows(
        inventory_url,
        "select cloud, account_id, team, resource_count, compliant_resource_count, coverage_ratio,"
        " missing_tag_counts from marts.tag_coverage",
    )

    def missing(team=0, env=0, owner=0, cost_center=0):
        return {"team": team, "env": env, "owner": owner, "cost-center": cost_center}

    assert sorted(found) == [
        ("aws", A, "data", 4, 3, Decimal("0.7500"), missing(owner=1, cost_center=1)),
        ("aws", A, "net", 1, 1, Decimal("1.0000"), missing()),
        ("aws", A, "payments", 2, 1, Decimal("0.5000"), missing(cost_center=1)),
        ("aws", A, "platform", 1, 1, Decimal("1.0000"), missing()),
        ("aws", A, "unassigned", 3, 0, Decimal("0.0000"), missing(3, 3, 3, 3)),
        ("aws", B, "data", 1, 0, Decimal("0.0000"), missing(env=1, owner=1, cost_center=1)),
        ("aws", B, "media", 1, 1, Decimal("1.0000"), missing()),
        ("aws", B, "payments", 2, 0, Decimal("0.0000"), missing(owner=1, cost_center=2)),
        ("aws", B, "unassigned", 1, 0, Decimal("0.0000"), missing(1, 1, 1, 1)),
    ]


INVENTORY_MARTS = ("missing_required_tags", "resource_tags", "resources", "tag_coverage")


def test_marts_are_tables_with_enforced_keys(inventory_url):
    found = rows(
        inventory_url,
        "select tc.table_name, tc.constraint_type,"
        " string_agg(kcu.column_name, ',' order by kcu.ordinal_position)"
        " from information_schema.table_constraints tc"
        " join information_schema.key_column_usage kcu using (constraint_schema, constraint_name)"
        " where tc.table_schema = 'marts' and tc.constraint_type = 'PRIMARY KEY'"
        f" and tc.table_name in {INVENTORY_MARTS}"
        " group by tc.table_name, tc.constraint_type",
    )
    assert sorted(found) == [
        ("missing_required_tags", "PRIMARY KEY", "resource_key"),
        ("resource_tags", "PRIMARY KEY", "resource_key,tag_key"),
        ("resources", "PRIMARY KEY", "resource_key"),
        ("tag_coverage", "PRIMARY KEY", "cloud,account_id,team"),
    ]


def is_inventory_model(key: AssetKey) -> bool:
    """The foundation's models: AWS staging, the tag synonym seed, intermediate and marts of the inventory."""
    schema, name = key.path
    return (name.startswith(("stg_aws__", "int_aws__", "int_resource_tags_")) or name == "tag_key_synonyms"
            or (schema == "marts" and name in INVENTORY_MARTS))


def test_build_materialises_every_model_and_only_the_tag_list_test_warns(inventory_build):
    result = inventory_build.result
    assert result.success
    materialized = {key for event in result.get_asset_materialization_events()
                    if is_inventory_model(key := event.asset_key)}
    assert len(materialized) == 36  # 28 staging views, the seed, 3 intermediate views, 4 marts
    assert {AssetKey(["marts", name]) for name in INVENTORY_MARTS} <= materialized
    checks = [check for check in result.get_asset_check_evaluations() if is_inventory_model(check.asset_key)]
    assert len(checks) == 33 and all(check.passed for check in checks)  # the staging models' accepted states included
    # Tests on the dbt source are observations of the ingestion asset; i-0b1's malformed Tags entry warns.
    source_tests = {}
    for event in result.get_asset_observation_events():
        observation = event.asset_observation_data.asset_observation
        if observation.asset_key != AssetKey(["raw_aws", "resources"]):
            continue
        test_name = observation.metadata["unique_id"].text.split(".")[2]
        source_tests[test_name] = observation.metadata["status"].text
    assert len(source_tests) == 7
    assert {name: status for name, status in source_tests.items() if status != "pass"} == {
        "source_aws_tag_list_aws_resources_document": "warn"
    }
