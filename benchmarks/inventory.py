"""`cloudforge bench inventory`: the raw inventory load against a plain COPY, and the dbt inventory build.

The documents are real: the demo estate is seeded into an in-process moto server and synced once with the
production code; its documents are then cloned (new ids) up to the requested count, keeping their
(account, region, type) slices. The load under test is `store_slice` slice by slice, exactly as a sync
writes; the reference is one plain COPY of the same rows into an identical table. Target: rows/s >= 0.5x the
plain COPY's.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Callable
from datetime import datetime

from psycopg import sql

from assets.aws.inventory import RESOURCE_COLUMNS, store_slice, sync_inventory
from benchmarks.common import Target, dbt_build, timed
from cloudforge.settings import DEMO_ACCOUNTS, AwsAccount, Settings
from cloudforge.warehouse import connect, create_database, database_url

TARGET_RATIO = 0.5
ROUNDS = 3
INVENTORY_MODELS = ("+path:models/marts/inventory",)


def run_inventory_bench(settings: Settings, resources: int, echo: Callable[[str], None] = print) -> list[Target]:
    """Print the figures; return the targets they are judged by."""
    url = create_database(database_url(settings), "cloudforge_bench")
    echo(f"seeding the demo estate (seed {settings.demo.seed}) and syncing it once for real documents…")
    templates = real_documents(settings, url)
    slices = clone_documents(templates, resources)
    payload = sum(len(doc) for rows in slices.values() for _, _, doc in rows)
    echo(f"{resources:,} documents in {len(slices)} slices, {payload / 1e6:.1f} MB of JSON")

    with connect(url, autocommit=True) as conn:
        conn.execute("CREATE TABLE raw_aws.plain_copy (LIKE raw_aws.resources INCLUDING ALL)")
        now = settings.clock.now()
        load_s = min(timed(lambda: load_slices(conn, slices, now)) for _ in range(ROUNDS))
        copy_s = min(timed(lambda: plain_copy(conn, slices, now)) for _ in range(ROUNDS))
        conn.execute("DROP TABLE raw_aws.plain_copy")
    echo(f"raw load (store_slice per slice): {resources / load_s:>10,.0f} rows/s  {payload / load_s / 1e6:6.1f} MB/s")
    echo(f"plain COPY, one statement:        {resources / copy_s:>10,.0f} rows/s  {payload / copy_s / 1e6:6.1f} MB/s")
    echo(f"best of {ROUNDS} rounds each")

    build = dbt_build(settings, url, INVENTORY_MODELS)
    echo(f"dbt build of the inventory models over {resources:,} resources: {build.summary()}")
    return [
        Target(
            "raw load / plain COPY", figure=resources / load_s, reference=resources / copy_s,
            reference_name="plain COPY", unit="rows/s", bound=TARGET_RATIO, higher_is_better=True,
        )
    ]


def real_documents(settings: Settings, url: str) -> dict[tuple[str, str, str], list[tuple[str, str, str]]]:
    """Documents of the demo estate, as the AWS sync stores them, per (account, region, type)."""
    from cloudforge.local.cloud import seed_estate, start_moto_server
    from cloudforge.local.estate import generate_estate

    server, endpoint = start_moto_server()
    try:
        seed_estate(generate_estate(settings.demo.seed, settings.demo.size), endpoint, settings.clock.now())
        accounts = [AwsAccount(id=a, role_arn=f"arn:aws:iam::{a}:role/CloudForgeReadOnly") for a in DEMO_ACCOUNTS]
        aws = settings.aws.model_copy(update={"mode": "demo", "endpoint_url": endpoint, "accounts": accounts})
        report = sync_inventory(aws, url, clock=settings.clock)
    finally:
        server.stop()
    if report.failures:
        raise RuntimeError(f"the demo sync failed: {report.failures[0]}")
    templates: dict[tuple[str, str, str], list[tuple[str, str, str]]] = defaultdict(list)
    with connect(url) as conn:
        for account, region, kind, resource_id, arn, document in conn.execute(
            "SELECT account_id, region, resource_type, resource_id, arn, document::text FROM raw_aws.resources"
        ):
            templates[(account, region, kind)].append((resource_id, arn, document))
        conn.execute("TRUNCATE raw_aws.resources, raw_aws.sync_slices, raw_aws.sync_errors")
        conn.commit()
    return templates


def clone_documents(templates: dict, count: int) -> dict[tuple[str, str, str], list[tuple[str, str, str]]]:
    """``count`` rows cycling through the templates, each with a new id (and ARN) in its template's slice."""
    flat = [(key, row) for key, rows in sorted(templates.items()) for row in rows]
    slices: dict[tuple[str, str, str], list[tuple[str, str, str]]] = defaultdict(list)
    for n in range(count):
        key, (resource_id, arn, document) = flat[n % len(flat)]
        suffix = f"-{n:06d}"
        slices[key].append((resource_id + suffix, arn and arn + suffix, document))
    return slices


def load_slices(conn, slices, now: datetime) -> None:
    sync_id = str(uuid.uuid4())
    for (account_id, region, resource_type), rows in slices.items():
        key = {"account_id": account_id, "region": region, "resource_type": resource_type}
        result = store_slice(conn, sync_id, key, rows, now=now)
        if not result.ok:
            raise RuntimeError(f"bench load failed: {result}")


def plain_copy(conn, slices, now: datetime) -> None:
    sync_id = str(uuid.uuid4())
    columns = sql.SQL(", ").join(map(sql.Identifier, RESOURCE_COLUMNS))
    with conn.transaction(), conn.cursor() as cur:
        cur.execute("TRUNCATE raw_aws.plain_copy")
        with cur.copy(sql.SQL("COPY raw_aws.plain_copy ({}) FROM STDIN").format(columns)) as copy:
            for (account_id, region, resource_type), rows in slices.items():
                for resource_id, arn, document in rows:
                    copy.write_row((account_id, region, resource_type, resource_id, arn, document, sync_id, now))
