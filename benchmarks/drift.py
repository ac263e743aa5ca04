"""`cloudforge bench drift`: declared state read and loaded against a plain COPY, and the dbt drift models against
one hand-written SQL statement computing the same classification, in the same run.

The estate is synthetic and shaped like the demo's: ``resources`` running resources (instances and buckets, API
documents as the inventory stores them) and ``resources`` declared ones in state files of 1,000 resources, a mix of
the four categories: 80 % managed, 10 % changed (instance type or a tag), 10 % missing, 10 % unmanaged. Targets:
state read and load (``load_sources``) >= 0.5x the rows/s of a plain COPY of the same rows; the drift models (the
SQL dbt compiled for the tables drift_resources needs, int_drift__resource_pairs then drift_resources, each over
its views) <= 2x the hand-written statement's time.
"""

from __future__ import annotations

import json
import tempfile
import uuid
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

import orjson
from psycopg import sql
from psycopg.types.json import Jsonb

from assets.aws.inventory import store_slice
from assets.terraform.loader import COLUMNS, load_sources
from assets.terraform.sources import state_files
from assets.terraform.state import State, parse_state
from benchmarks.common import DbtBuild, Target, best_of_turns, dbt_build
from cloudforge.settings import Settings
from cloudforge.warehouse import connect, create_database, database_url, ensure_schema

LOAD_TARGET = 0.5
MODELS_TARGET = 2.0
ROUNDS = 5
PER_STATE = 1_000
ACCOUNT, REGION = "111111111111", "us-east-1"
PREREQUISITES = ("+resources", "+cost_daily")
PAIRS = "int_drift__resource_pairs"  # the table drift_resources reads (with its views)
DRIFT_MODELS = ("path:models/staging/terraform", "path:models/intermediate/drift", "path:models/marts/drift")
# The same classification as the drift models, for the bench's types, in one statement.
HAND_WRITTEN = """
    CREATE TABLE bench_drift AS
    WITH live AS (
        SELECT account_id, resource_type, resource_id,
               CASE resource_type WHEN 'ec2_instance' THEN jsonb_build_object(
                   'instance_type', document -> 'InstanceType', 'subnet_id', document -> 'SubnetId') ELSE '{}' END
               || jsonb_build_object('tags', (SELECT coalesce(jsonb_object_agg(t ->> 'Key', t ->> 'Value'), '{}')
                                              FROM jsonb_array_elements(document -> 'Tags') AS t)) AS attributes
        FROM raw_aws.resources
    ),
    declared AS (
        SELECT DISTINCT ON (inventory_type, resource_id, account_id) inventory_type AS resource_type, resource_id,
               account_id, attributes
        FROM raw_terraform.declared_resources
        WHERE mode = 'managed' AND inventory_type IS NOT NULL AND resource_id IS NOT NULL
        ORDER BY inventory_type, resource_id, account_id, source_uri, address
    )
    SELECT coalesce(live.resource_type, declared.resource_type) AS resource_type,
           coalesce(live.resource_id, declared.resource_id) AS resource_id,
           CASE WHEN live.resource_id IS NULL THEN 'missing' WHEN declared.resource_id IS NULL THEN 'unmanaged'
                WHEN EXISTS (SELECT FROM jsonb_object_keys(declared.attributes) AS k
                             WHERE live.attributes ? k AND declared.attributes -> k IS DISTINCT FROM live.attributes -> k)
                THEN 'changed' ELSE 'managed' END AS drift_category
    FROM live FULL JOIN declared
      ON live.resource_type = declared.resource_type AND live.resource_id = declared.resource_id
     AND live.account_id = declared.account_id
"""
COUNTS = "SELECT drift_category, count(*) FROM {} GROUP BY 1 ORDER BY 1"


def run_drift_bench(settings: Settings, resources: int, echo: Callable[[str], None] = print) -> list[Target]:
    url = create_database(database_url(settings), "cloudforge_bench_drift")
    with tempfile.TemporaryDirectory(prefix="cloudforge-drift-bench-") as directory:
        states = Path(directory)
        live = write_estate(states, resources)
        uris = state_files(str(states))
        echo(f"{resources:,} declared resources in {len(uris)} state files, {len(live):,} running")
        with connect(url, autocommit=True) as conn:
            ensure_schema(conn)
            store_slice(conn, str(uuid.uuid4()), {"account_id": ACCOUNT, "region": REGION,
                                                  "resource_type": "ec2_instance"},
                        [row for row in live if row[0].startswith("i-")], now=settings.clock.now())
            store_slice(conn, str(uuid.uuid4()), {"account_id": ACCOUNT, "region": REGION,
                                                  "resource_type": "s3_bucket"},
                        [row for row in live if not row[0].startswith("i-")], now=settings.clock.now())
            rows = [row for uri in uris for row in values(parse_state(uri, Path(uri).read_bytes()), settings.clock.now())]
            conn.execute("CREATE TABLE raw_terraform.plain_copy (LIKE raw_terraform.declared_resources INCLUDING ALL)")
            load_s, copy_s = best_of_turns(ROUNDS, lambda: reload(conn, str(states), settings),
                                           lambda: plain_copy(conn, rows))
            conn.execute("DROP TABLE raw_terraform.plain_copy")
    echo(f"state read and load (load_sources): {resources / load_s:>10,.0f} rows/s")
    echo(f"plain COPY of the same rows:        {resources / copy_s:>10,.0f} rows/s  (best of {ROUNDS} turns each)")

    dbt_build(settings, url, PREREQUISITES)
    build = dbt_build(settings, url, DRIFT_MODELS)
    echo(f"dbt build of the drift models: {build.summary()}")
    with connect(url, autocommit=True) as conn:
        models_s, hand_s = best_of_turns(ROUNDS, lambda: drift_models(conn, build), lambda: hand_written(conn))
        built = conn.execute(sql.SQL(COUNTS).format(sql.SQL(
            "marts.drift_resources WHERE NOT is_ignored"))).fetchall()
        reference = conn.execute(sql.SQL(COUNTS).format(sql.Identifier("bench_drift"))).fetchall()
    echo(f"int_drift__resource_pairs and drift_resources as dbt compiled them, over their views: {models_s:.2f} s")
    echo(f"hand-written statement: {hand_s:.2f} s; categories {dict(reference)}")
    if built != reference:
        raise RuntimeError(f"the drift models and the hand-written statement disagree: {built} != {reference}")
    return [
        Target("state load / plain COPY", resources / load_s, resources / copy_s, "plain COPY", "rows/s",
               LOAD_TARGET, higher_is_better=True),
        Target("drift models / hand-written SQL", models_s, hand_s, "hand-written SQL", "s", MODELS_TARGET,
               higher_is_better=False),
    ]


def write_estate(directory: Path, resources: int) -> list[tuple[str, str, str]]:
    """State files of ``resources`` declared resources; returns the running ones (id, arn, document JSON)."""
    live, declared = [], []
    for n in range(resources):
        kind = n % 10  # 0-7 managed, 8 changed, 9 missing; every tenth running one is unmanaged instead
        is_instance = n // 10 % 4 != 3  # a quarter of each kind are buckets (a changed bucket: a tag added)
        resource_id = f"i-{n:017x}" if is_instance else f"bench-bucket-{n:06d}"
        tags = {"team": ("payments", "search", "data")[n % 3], "env": "prod"}
        attributes = {"id": resource_id, "tags": tags}
        if is_instance:
            attributes |= {"arn": f"arn:aws:ec2:{REGION}:{ACCOUNT}:instance/{resource_id}",
                           "instance_type": "m5.large", "subnet_id": "subnet-0bench"}
        else:
            attributes |= {"arn": f"arn:aws:s3:::{resource_id}", "bucket": resource_id, "region": REGION}
        declared.append(attributes)
        if kind == 9:
            continue  # missing: declared, not running
        running = dict(tags) | ({"owner": "someone"} if kind == 8 and not is_instance else {})
        document = {"Tags": [{"Key": k, "Value": v} for k, v in sorted(running.items())]}
        if is_instance:
            document |= {"InstanceId": resource_id, "SubnetId": "subnet-0bench",
                         "InstanceType": "m5.xlarge" if kind == 8 else "m5.large"}
        else:
            document |= {"Name": resource_id, "BucketRegion": REGION}
        live.append((resource_id, attributes["arn"], json.dumps(document)))
    for n in range(resources // 10):  # unmanaged: running, declared by no state
        resource_id = f"i-ffff{n:013x}"
        live.append((resource_id, f"arn:aws:ec2:{REGION}:{ACCOUNT}:instance/{resource_id}",
                     json.dumps({"InstanceId": resource_id, "InstanceType": "t3.micro", "Tags": []})))
    for number, start in enumerate(range(0, resources, PER_STATE)):
        blocks = [{"mode": "managed", "type": "aws_instance" if "instance_type" in a else "aws_s3_bucket",
                   "name": "this", "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
                   "instances": [{"index_key": a["id"], "schema_version": 0, "attributes": a}]}
                  for a in declared[start:start + PER_STATE]]
        state = {"version": 4, "terraform_version": "1.9.8", "serial": 1, "lineage": f"bench-{number}",
                 "resources": blocks}
        (directory / f"stack-{number:03d}.tfstate").write_text(json.dumps(state))
    return live[:resources]


def reload(conn, directory: str, settings: Settings) -> None:
    conn.execute("DELETE FROM raw_terraform.states")  # so every state is read again, not skipped as unchanged
    report = load_sources(conn, [(directory, lambda: None)], settings.clock.now())
    if report.failed:
        raise RuntimeError(f"bench load failed: {report.failed}")


def values(state: State, now: datetime) -> Iterator[tuple]:
    """The rows load_sources stores for ``state`` (``COLUMNS``), as Python values: the plain COPY's input."""
    for r in state.resources:
        yield (state.source_uri, state.serial, state.lineage, r.address, r.module, r.mode, r.type, r.name,
               None if r.index_key is None else Jsonb(r.index_key, orjson.dumps), r.provider, r.inventory_type,
               r.resource_id, Jsonb(r.attributes, orjson.dumps), now, r.account_id, r.region)


def plain_copy(conn, rows: list[tuple]) -> None:
    columns = sql.SQL(", ").join(map(sql.Identifier, COLUMNS))
    with conn.transaction(), conn.cursor() as cur:
        cur.execute("TRUNCATE raw_terraform.plain_copy")
        with cur.copy(sql.SQL("COPY raw_terraform.plain_copy ({}) FROM STDIN").format(columns)) as copy:
            for row in rows:
                copy.write_row(row)


def drift_models(conn, build: DbtBuild) -> None:
    """What the warehouse does for the drift models, as dbt's table materialization does it: the pairs table
    created unlogged from its SQL (dbt creates it aside and renames it, which costs nothing that grows), then
    drift_resources' SQL over the pairs and the other views (the pairs dbt built: the same rows). dbt's own start-up
    and bookkeeping per model are left out: they do not grow with the estate."""
    conn.execute("DROP TABLE IF EXISTS bench_drift_pairs")
    conn.execute(sql.SQL("CREATE UNLOGGED TABLE bench_drift_pairs AS {}").format(sql.SQL(build.compiled_code[PAIRS])))
    conn.execute("DROP TABLE IF EXISTS bench_drift_models")
    drift_resources = sql.SQL(build.compiled_code["drift_resources"])
    conn.execute(sql.SQL("CREATE TABLE bench_drift_models AS {}").format(drift_resources))


def hand_written(conn) -> None:
    conn.execute("DROP TABLE IF EXISTS bench_drift")
    conn.execute(HAND_WRITTEN)
