"""The provisioning job: one run applies one approved request (its id in the run's config), through
``provisioners.service`` with the engine the settings describe. The sensor in pipelines/sensors.py launches it."""

import dagster as dg

from assets.resources import WarehouseResource
from cloudforge.settings import Settings

PROVISION_JOB_NAME = "provision_request"


class RequestConfig(dg.Config):
    request_id: str


def build_provision_job(settings: Settings) -> dg.JobDefinition:
    @dg.op(name="apply_request", description="Apply (or resume) one approved provisioning request.")
    def apply_request_op(context: dg.OpExecutionContext, config: RequestConfig, warehouse: WarehouseResource):
        from provisioners.blueprints.request import request_from_document
        from provisioners.engines.aws import engine_for
        from provisioners.ledger import Ledger
        from provisioners.service import apply_request, graph_of

        url = warehouse.url()
        with Ledger.open(url) as ledger:
            row = ledger.request(config.request_id)
            request = request_from_document(row.document, f"provisioning.requests {row.request_id}",
                                            settings.tags.required)  # fmt: skip
            workers = settings.aws.max_workers
            engine = engine_for(settings.aws, request.account, request.region, workers)
            outcome = apply_request(url, ledger, graph_of(request), engine, workers)
        context.log.info(f"{request.id}: {len(outcome.done)} created, {len(outcome.found)} already there")
        if not outcome.ok:
            raise dg.Failure(f"request {request.id}: {outcome.failed}")

    @dg.job(name=PROVISION_JOB_NAME, description="Apply one approved provisioning request.")
    def provision_request():
        apply_request_op()

    return provision_request
