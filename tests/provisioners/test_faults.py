"""Faults between the apply and the cloud, through a real proxy in front of moto: a create answered by a dropped
connection after moto did it, throttling, a second apply of the same request at once, an apply killed with
SIGKILL and resumed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from policies.config import PolicyConfig
from provisioners.ledger import ApplyInProgress, request_lock
from provisioners.service import apply_request, plan_request
from tests.provisioners.conftest import aws_engine, make_request
from tests.provisioners.fault_proxy import fault_proxy
from tests.provisioners.test_apply_moto import FAST, NOW, tagged

ROOT = Path(__file__).resolve().parents[2]


def approved(ledger, request):
    plan = plan_request(ledger, request, PolicyConfig(), NOW, None, "alice")
    ledger.approve(request.id, plan.hash, "bob")
    return plan


def test_a_create_whose_answer_was_lost_is_found_not_repeated(ledger_url, ledger, moto_endpoint):
    request = make_request("fleet", "lost-answers", size=3)
    plan = approved(ledger, request)
    with fault_proxy(moto_endpoint) as proxy:
        proxy.drop.update({"RunInstances": 2, "CreateVpc": 1, "CreateSecurityGroup": 1})
        outcome = apply_request(ledger_url, ledger, plan.graph, aws_engine(proxy.url), 4, FAST)
    assert outcome.ok, outcome.failed
    assert proxy.seen["RunInstances"] == 3 and proxy.drop["RunInstances"] == 0  # two answers were lost
    found = tagged(moto_endpoint, request.id)
    assert found["instance"] == ["worker[0]", "worker[1]", "worker[2]"]  # one each, none twice
    assert found["vpc"] == ["vpc"]
    assert found["security_group"] == ["https", "worker_access[0]", "worker_access[1]", "worker_access[2]"]


def test_throttled_calls_are_retried(ledger_url, ledger, moto_endpoint):
    request = make_request("network", "throttled")
    plan = approved(ledger, request)
    with fault_proxy(moto_endpoint) as proxy:
        proxy.throttle.update({"CreateSubnet": 3})
        outcome = apply_request(ledger_url, ledger, plan.graph, aws_engine(proxy.url), 4, FAST)
    assert outcome.ok and proxy.throttle["CreateSubnet"] == 0
    assert tagged(moto_endpoint, request.id)["subnet"] == ["private_a", "private_b", "public_a", "public_b"]


def test_a_second_apply_of_the_same_request_is_refused(ledger_url, ledger, moto_endpoint):
    request = make_request("network", "twice-at-once")
    plan = approved(ledger, request)
    refused = pytest.raises(ApplyInProgress, match=f"request {request.id} is being applied")
    with request_lock(ledger_url, request.id, "apply"), refused:
        apply_request(ledger_url, ledger, plan.graph, aws_engine(moto_endpoint), 4, FAST)
    assert ledger.nodes(request.id) == {}
    assert apply_request(ledger_url, ledger, plan.graph, aws_engine(moto_endpoint), 4, FAST).ok  # released


APPLY_SCRIPT = """
import sys
from provisioners.ledger import Ledger
from provisioners.service import apply_request, graph_of
from tests.provisioners.conftest import aws_engine, make_request
url, endpoint = sys.argv[1], sys.argv[2]
request = make_request("fleet", "killed", size=12)
with Ledger.open(url) as ledger:
    apply_request(url, ledger, graph_of(request), aws_engine(endpoint), 2)
"""


def test_an_apply_killed_mid_way_resumes_without_duplicates(ledger_url, ledger, moto_endpoint):
    request = make_request("fleet", "killed", size=12)
    plan = approved(ledger, request)
    with fault_proxy(moto_endpoint, delay=0.05) as proxy:
        child = subprocess.Popen([sys.executable, "-c", APPLY_SCRIPT, ledger_url, proxy.url], cwd=ROOT)
        try:
            deadline = time.monotonic() + 60
            while proxy.seen["RunInstances"] < 3 and time.monotonic() < deadline and child.poll() is None:
                time.sleep(0.02)
            assert child.poll() is None, "the apply ended before it could be killed"
            os.kill(child.pid, signal.SIGKILL)
        finally:
            child.wait()
    statuses = {row.status for row in ledger.nodes(request.id).values()}
    assert "created" in statuses and len(ledger.nodes(request.id)) < len(plan.graph.nodes)
    assert ledger.request(request.id).status == "applying"

    outcome = apply_request(ledger_url, ledger, plan.graph, aws_engine(moto_endpoint), 4, FAST)  # resume

    assert outcome.ok and outcome.found and outcome.done
    assert sorted(outcome.found + outcome.done) == sorted(plan.graph.nodes)
    found = tagged(moto_endpoint, request.id)
    assert found["instance"] == sorted(f"worker[{i}]" for i in range(12))
    assert len(found["security_group"]) == 13
    assert ledger.request(request.id).status == "applied"
