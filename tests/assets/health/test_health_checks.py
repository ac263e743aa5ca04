"""Health checks against real parts: the cloud's status from the moto server through assume-role sessions, HTTP
endpoint checks against a loopback server, both recorded in the embedded PostgreSQL."""

from __future__ import annotations

import http.server
import socket
import threading
import time
import uuid
from collections.abc import Iterator
from datetime import timedelta

import pytest
from support.aws_estate import account_session, credentials

from assets.health.cloud_status import collect_cloud_health
from assets.health.endpoints import run_endpoint_checks
from cloudforge.clock import Clock
from cloudforge.settings import AwsSettings, HealthEndpoint
from cloudforge.warehouse import connect, create_database
from demo.seeding import IMAGE_ID

ACCOUNT = "420000000001"  # an account of its own: other tests seed the demo and inventory accounts
REGION = "us-east-1"


@pytest.fixture(scope="module")
def cloud(moto_endpoint: str) -> dict[str, str]:
    """Three instances (one running, one stopped while registered in a target group, one stopped from the start)
    and two databases (one available, one stopped), in one account of the moto server."""
    with pytest.MonkeyPatch.context() as env:
        credentials(env)
        session = account_session(moto_endpoint, ACCOUNT)
        ec2 = session.client("ec2", region_name=REGION, endpoint_url=moto_endpoint)
        running, registered, stopped = (i["InstanceId"] for i in ec2.run_instances(
            ImageId=IMAGE_ID, MinCount=3, MaxCount=3, InstanceType="t3.micro")["Instances"])
        ec2.stop_instances(InstanceIds=[stopped])
        vpc = ec2.describe_vpcs()["Vpcs"][0]["VpcId"]
        subnets = [s["SubnetId"] for s in ec2.describe_subnets()["Subnets"]][:2]
        elb = session.client("elbv2", region_name=REGION, endpoint_url=moto_endpoint)
        balancer = elb.create_load_balancer(Name="web", Subnets=subnets)["LoadBalancers"][0]["LoadBalancerArn"]
        group = elb.create_target_group(Name="web", Protocol="HTTP", Port=80, VpcId=vpc)["TargetGroups"][0]
        elb.register_targets(TargetGroupArn=group["TargetGroupArn"], Targets=[{"Id": running}, {"Id": registered}])
        elb.create_listener(LoadBalancerArn=balancer, Protocol="HTTP", Port=80,
                            DefaultActions=[{"Type": "forward", "TargetGroupArn": group["TargetGroupArn"]}])
        ec2.stop_instances(InstanceIds=[registered])
        rds = session.client("rds", region_name=REGION, endpoint_url=moto_endpoint)
        for name in ("orders", "archive"):
            rds.create_db_instance(DBInstanceIdentifier=name, DBInstanceClass="db.t3.micro", Engine="postgres",
                                   MasterUsername="admin", MasterUserPassword="not-a-secret-1", AllocatedStorage=20)
        rds.stop_db_instance(DBInstanceIdentifier="archive")
    return {"running": running, "registered": registered, "group": group["TargetGroupArn"]}


@pytest.fixture
def health_db(warehouse_url: str) -> str:
    return create_database(warehouse_url, f"health_{uuid.uuid4().hex[:8]}")


def test_resource_checks_from_the_clouds_status(cloud: dict[str, str], moto_endpoint: str, health_db: str,
                                                clock: Clock, monkeypatch: pytest.MonkeyPatch) -> None:
    credentials(monkeypatch)
    aws = AwsSettings(mode="demo", endpoint_url=moto_endpoint, regions=[REGION], max_attempts=2,
                      accounts=[{"id": ACCOUNT, "role_arn": f"arn:aws:iam::{ACCOUNT}:role/CloudForgeReadOnly"}])
    with connect(health_db, autocommit=True) as conn:
        report = collect_cloud_health(aws, conn, clock)
        rows = conn.execute("""
            SELECT check_kind, resource_type, resource_id, check_target, status, detail FROM raw_health.checks
            ORDER BY check_kind, resource_id
        """).fetchall()
        slices = conn.execute("SELECT slice_key, status, check_count FROM raw_health.check_slices").fetchall()
    running, registered, group = cloud["running"], cloud["registered"], cloud["group"]
    assert rows == [
        ("ec2_instance_status", "ec2_instance", running, running, "healthy", "ok"),
        ("ec2_system_status", "ec2_instance", running, running, "healthy", "ok"),
        ("rds_instance_status", "rds_instance", "orders", "orders", "healthy", "available"),
        *sorted([("target_health", "ec2_instance", running, group, "healthy", "healthy"),
                 ("target_health", "ec2_instance", registered, group, "unhealthy",
                  "unused: Target is in the stopped state")], key=lambda row: row[2]),
    ]
    assert slices == [(f"aws/{ACCOUNT}/{REGION}", "ok", 5)]
    assert report.counts == {"healthy": 4, "unhealthy": 1} and report.failed == {}


def test_an_unreachable_cloud_fails_its_slices_and_names_why(health_db: str, clock: Clock,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    credentials(monkeypatch)
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        port = closed.getsockname()[1]
    aws = AwsSettings(mode="demo", endpoint_url=f"http://127.0.0.1:{port}", regions=[REGION], max_attempts=1,
                      timeout_seconds=2, accounts=[{"id": ACCOUNT}])
    with connect(health_db, autocommit=True) as conn:
        report = collect_cloud_health(aws, conn, clock)
        slices = conn.execute("SELECT slice_key, status, message FROM raw_health.check_slices").fetchall()
    assert [(key, status) for key, status, _ in slices] == [(f"aws/{ACCOUNT}/{REGION}", "failed")]
    assert slices[0][2].startswith("EndpointConnectionError: ") and report.slices_ok == 0


class Handler(http.server.BaseHTTPRequestHandler):
    """/ok answers 200, /broken 500, /slow 200 after two seconds; HEAD and POST like GET."""

    def answer(self) -> None:
        if self.path == "/slow":
            time.sleep(2)
        self.send_response({"/ok": 200, "/broken": 500, "/slow": 200}.get(self.path, 404))
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_HEAD = do_POST = answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def receiver() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_endpoint_checks_judge_status_and_timeout_and_honour_intervals(receiver: str, health_db: str,
                                                                      clock: Clock) -> None:
    with socket.socket() as closed:
        closed.bind(("127.0.0.1", 0))
        refused = f"http://127.0.0.1:{closed.getsockname()[1]}/"
    endpoints = [
        HealthEndpoint(name="shop", url=f"{receiver}/ok"),
        HealthEndpoint(name="created", url=f"{receiver}/ok", method="POST", expected_status=201, interval_seconds=300),
        HealthEndpoint(name="api", url=f"{receiver}/broken", method="HEAD"),
        HealthEndpoint(name="slow", url=f"{receiver}/slow", timeout_seconds=0.5),
        HealthEndpoint(name="gone", url=refused),
    ]
    now = clock.now()
    with connect(health_db, autocommit=True) as conn:
        first = run_endpoint_checks(conn, endpoints, now)
        too_soon = run_endpoint_checks(conn, endpoints, now + timedelta(seconds=59))
        later = run_endpoint_checks(conn, endpoints, now + timedelta(seconds=60))
        stored = conn.execute("SELECT count(*) FROM raw_health.checks").fetchone()[0]
    assert [(r.resource_id, r.status, r.detail) for r in first] == [
        ("shop", "healthy", "HTTP 200"),
        ("created", "unhealthy", "HTTP 200, expected 201"),
        ("api", "unhealthy", "HTTP 500, expected 200"),
        ("slow", "unhealthy", "timed out after 0.5 s"),
        ("gone", "unhealthy", "no answer: [Errno 111] Connection refused"),
    ]
    assert first[0].response_ms is not None and first[0].check_target == f"{receiver}/ok"
    assert too_soon == []
    assert [r.resource_id for r in later] == ["shop", "api", "slow", "gone"]  # created waits its 300 s
    assert stored == 9
