"""The provisioning sensor launches one run per approved request, keyed by its id; the run applies it."""

from __future__ import annotations

import dagster as dg

from assets.resources import WarehouseResource
from cloudforge.settings import load_settings
from pipelines.provisioning import build_provision_job
from pipelines.sensors import build_provisioning_sensor
from tests.provisioners.conftest import make_request
from tests.provisioners.test_faults import approved


def tick(ledger_url: str):
    """One evaluation with a fresh sensor and context, as a restarted daemon would build them."""
    settings = load_settings()
    sensor = build_provisioning_sensor(build_provision_job(settings), settings)
    with dg.build_sensor_context(
        resources={"warehouse": WarehouseResource(database_url=ledger_url)}
    ) as context:
        return sensor(context)


def test_one_run_per_approved_request_keyed_by_its_id_and_the_run_applies_it(ledger_url, ledger, moto_endpoint,
                                                                             monkeypatch):  # fmt: skip
    assert tick(ledger_url).skip_message == "no approved provisioning request"
    request = make_request("network", "sensed")
    approved(ledger, request)
    runs = tick(ledger_url)
    assert [(r.run_key, r.tags) for r in runs] == [(request.id, {"cloudforge/request": request.id})]
    assert [r.run_key for r in tick(ledger_url)] == [request.id]  # the same key: Dagster launches it once

    monkeypatch.setenv("CLOUDFORGE_AWS__ENDPOINT_URL", moto_endpoint)
    job = build_provision_job(load_settings())
    result = job.execute_in_process(
        run_config=runs[0].run_config, resources={"warehouse": WarehouseResource(database_url=ledger_url)}
    )
    assert result.success
    assert ledger.request(request.id).status == "applied"
    assert tick(ledger_url).skip_message == "no approved provisioning request"


def test_requests_inserted_as_rows_are_planned_by_the_sensor(ledger_url, ledger):
    from psycopg.types.json import Jsonb

    good, bad = make_request("static-site", "inserted"), make_request("static-site", "inserted-bad")
    document = dict(bad.document(), tags={"team": "payments"})  # project, env, owner missing
    for request_id, doc in ((good.id, good.document()), (bad.id, document)):
        ledger._execute(
            "INSERT INTO provisioning.requests (request_id, name, blueprint, account_id, region, requested_by,"
            " document) VALUES (%s, %s, 'static-site', %s, 'us-east-1', 'alice', %s)",
            [request_id, doc["name"], doc["account"], Jsonb(doc)],
        )
    assert tick(ledger_url).skip_message == "no approved provisioning request"
    assert ledger.request(good.id).status == "awaiting_approval" and ledger.request(good.id).plan_hash
    refused = ledger.request(bad.id)
    assert refused.status == "blocked"
    assert refused.message.splitlines() == [
        f"provisioning.requests {bad.id}:1: required tag {tag!r} is missing"
        for tag in ("project", "env", "owner")
    ]
