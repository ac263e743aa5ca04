"""The credential report's root row, which moto's report lacks: the real boto3 IAM client over HTTP against a
local server answering GenerateCredentialReport and GetCredentialReport as AWS documents them (query protocol,
the CSV base64-encoded in Content), the report first being generated."""

from __future__ import annotations

import base64
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import boto3
import pytest

from assets.aws.collectors import ROOT_USER, credential_report

NAMESPACE = "https://iam.amazonaws.com/doc/2010-05-08/"
# AWS's columns; the root row as AWS writes it (not_supported: the root has no password age or rotation)
REPORT = (
    "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,"
    "mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,"
    "access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,"
    "access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,"
    "cert_1_last_rotated,cert_2_active,cert_2_last_rotated\n"
    "<root_account>,arn:aws:iam::111111111111:root,2020-01-01T00:00:00+00:00,not_supported,"
    "2025-05-31T08:00:00+00:00,not_supported,not_supported,true,true,2024-01-01T00:00:00+00:00,"
    "2025-05-30T10:00:00+00:00,us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n"
    "alice,arn:aws:iam::111111111111:user/alice,2024-02-01T00:00:00+00:00,true,no_information,"
    "2024-02-01T00:00:00+00:00,N/A,false,false,N/A,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n"
)


class _ReportHandler(BaseHTTPRequestHandler):
    """Answers like IAM: the first GenerateCredentialReport starts the report, later ones find it complete."""

    server: _ReportServer

    def log_message(self, format: str, *args: object) -> None:
        pass

    def do_POST(self) -> None:
        form = parse_qs(self.rfile.read(int(self.headers["Content-Length"])).decode())
        action = form["Action"][0]
        self.server.calls.append(action)
        if action == "GenerateCredentialReport":
            state = "COMPLETE" if self.server.calls.count(action) > 1 else "STARTED"
            result = f"<State>{state}</State>"
        else:
            content = base64.b64encode(REPORT.encode()).decode()
            result = f"<Content>{content}</Content><ReportFormat>text/csv</ReportFormat>" \
                     "<GeneratedTime>2025-06-01T00:00:00Z</GeneratedTime>"
        body = (
            f'<{action}Response xmlns="{NAMESPACE}"><{action}Result>{result}</{action}Result>'
            f"<ResponseMetadata><RequestId>replay</RequestId></ResponseMetadata></{action}Response>"
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/xml")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


class _ReportServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _ReportHandler)
        self.calls: list[str] = []


@pytest.fixture
def report_server() -> Iterator[_ReportServer]:
    server = _ReportServer()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def test_the_report_is_generated_then_read_with_the_root_row(report_server: _ReportServer) -> None:
    iam = boto3.client(
        "iam", region_name="us-east-1", endpoint_url=f"http://127.0.0.1:{report_server.server_address[1]}",
        aws_access_key_id="testing", aws_secret_access_key="testing",
    )
    rows = credential_report(iam)
    assert report_server.calls == ["GenerateCredentialReport", "GenerateCredentialReport", "GetCredentialReport"]
    assert [row["user"] for row in rows] == [ROOT_USER, "alice"]
    root = rows[0]
    assert (root["password_last_used"], root["access_key_1_last_used_date"], root["access_key_2_last_used_date"]) == (
        "2025-05-31T08:00:00+00:00", "2025-05-30T10:00:00+00:00", "N/A"
    )
