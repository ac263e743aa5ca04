"""What `cloudforge status` and the end of `cloudforge run` print: services, freshness, mart totals."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import psycopg

from cloudforge.local.processes import is_alive
from cloudforge.settings import Settings
from cloudforge.warehouse import connect

FRESHNESS_SQL = """
    SELECT 'aws inventory', max(last_success_at), count(*) FILTER (WHERE status = 'failed'), count(*)
    FROM raw_aws.sync_slices
"""


def warehouse_summary(url: str) -> list[str]:
    """A few lines on what the marts now hold; empty marts say so instead of failing."""
    try:
        with connect(url) as conn:
            total, accounts, types = conn.execute(
                "SELECT count(*), count(DISTINCT account_id), count(DISTINCT resource_type) FROM marts.resources"
            ).fetchone()
            coverage = conn.execute(
                "SELECT sum(compliant_resource_count)::numeric / nullif(sum(resource_count), 0) FROM marts.tag_coverage"
            ).fetchone()[0]
            failed = conn.execute(
                "SELECT count(*) FROM raw_aws.sync_slices WHERE status = 'failed'"
            ).fetchone()[0]
    except psycopg.errors.UndefinedTable:
        return ["the marts are empty: no run has completed yet"]
    lines = [f"resources: {total:,} in {accounts} accounts, {types} resource types"]
    if coverage is not None:
        lines.append(f"tag coverage: {coverage:.0%} of resources carry every required tag")
    if failed:
        lines.append(f"failed slices: {failed} (see raw_aws.sync_errors)")
    return lines


REFUSED = ("quarantined", "failed")
PROBLEM_CHARS = 300  # a refusal's message lists example rows; the status shows its start
BILLING_SQL = """
    SELECT slice_key, latest_status, latest_problem,
           w ->> 'rule', w ->> 'severity', w ->> 'column', w ->> 'rows'
    FROM marts.billing_slice_status
    LEFT JOIN LATERAL jsonb_array_elements(latest_warnings) w ON true
    ORDER BY slice_key COLLATE "C", w ->> 'rule', w ->> 'column'
"""


def billing_lines(conn: psycopg.Connection) -> list[str]:
    """Billing slices by latest status, then why each refused one was refused, then each conformance
    warning."""
    try:
        rows = conn.execute(BILLING_SQL).fetchall()
    except (psycopg.errors.UndefinedTable, psycopg.errors.UndefinedColumn):  # no dbt build of it yet
        return []
    latest = {key: (status, problem) for key, status, problem, *_ in rows}
    counts = Counter(status for status, _ in latest.values())
    refused = [f"  {problem[:PROBLEM_CHARS]}" for status, problem in latest.values() if status in REFUSED]
    warnings = [
        f"  {key}: rule {rule} ({severity}){' ' + column if column else ''}, {count} rows"
        for key, _, _, rule, severity, column, count in rows
        if rule
    ]
    summary = ", ".join(f"{count} {status}" for status, count in sorted(counts.items()))
    return [
        f"{'billing':<15}{len(latest)} slices: {summary}; {len(warnings)} conformance warnings",
        *refused,
        *warnings,
    ]


def services_file(state_dir: Path) -> Path:
    """Where `cloudforge demo` records the servers it started, for `cloudforge status`."""
    return state_dir / "services.json"


def running_services(state_dir: Path) -> dict[str, dict]:
    """The recorded services whose process is still alive."""
    try:
        services = json.loads(services_file(state_dir).read_text())
    except FileNotFoundError:
        return {}
    return {name: service for name, service in services.items() if is_alive(service["pid"])}


def status_lines(settings: Settings, demo_cloud_url: str | None) -> list[str]:
    """Services of the embedded stack (the demo cloud as the caller found it), then per-source freshness from the
    warehouse."""
    from cloudforge.warehouse import database_url

    lines = [f"demo cloud     {'running at ' + demo_cloud_url if demo_cloud_url else 'not running'}"]
    for name, service in running_services(settings.state_dir).items():
        lines.append(f"{name:<15}running at {service['url']} (pid {service['pid']})")
    try:
        url = database_url(settings)
        with connect(url) as conn:
            rows = conn.execute(FRESHNESS_SQL).fetchall()
        with connect(url) as conn:
            billing = billing_lines(conn)
        with connect(url) as conn:
            freshness = freshness_lines(conn, settings)
    except psycopg.errors.UndefinedTable:
        lines.append("warehouse      reachable; no source synced yet (run `cloudforge run`)")
        return lines
    except (ConnectionError, psycopg.Error) as exc:
        lines.append(f"warehouse      unavailable ({type(exc).__name__})")
        return lines
    lines.append("warehouse      reachable")
    now = settings.clock.now()
    for source, last_success, failed, slices in rows:
        age = f"{(now - last_success).total_seconds() / 3600:.1f} h ago" if last_success else "never"
        lines.append(f"{source:<15}last success {age}; {slices} slices, {failed} failed")
    return lines + billing + freshness


def freshness_lines(conn: psycopg.Connection, settings: Settings) -> list[str]:
    """Each source's age against its freshness SLA (health.freshness)."""
    from cloudforge.freshness import source_ages

    try:
        ages = source_ages(conn, settings, settings.clock.now())
    except psycopg.errors.UndefinedTable:  # a warehouse before migration 0006: `cloudforge db upgrade`
        return []
    return ["freshness", *(f"  {age.source:<13}{age.describe()}" for age in ages)]
