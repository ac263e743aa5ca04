"""The provisioning sensor launches one run per approved request, keyed by its id; the run applies it."""

from __future__ import annotations

import dagster as dg

from assets.resources import WarehouseResource
from cloudforge.settings import load_settings
from pipelines.provisioning import build_provision_job
from pipelines.sensors import build_provisioning_sensor
from tests.provisioners.test_apply_moto import tagged
from tests.provisioners.test_faults import approved
from tests.provisioners.conftest import make_request


def tick(ledger_url: str):
    """One evaluation with a fresh sensor and context, as a restarted daemon would build them."""
    settings = load_settings()
    sensor = build_provisioning_sensor(build_provision_job(settings))
    with dg.build_sensor_context(resources={"warehouse": WarehouseResource(database_url=ledger_url)}) as context:
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
