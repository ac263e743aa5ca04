"""`cloudforge policy check` and `cloudforge policy test`: output formats and CI exit codes."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

from cloudforge.cli.policy import policy
from policies.check import check_plan
from policies.config import PolicyConfig
from policies.documents import PlanFormatError
from policies.library import load_library

FIXTURES = Path(__file__).parent / "fixtures"
NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
FAILING = FIXTURES / "public_unencrypted_bucket.plan.json"
COMPLIANT = FIXTURES / "compliant.plan.json"
BUCKET_FINDINGS = [
    ("CF-AWS-S3-001", "high"),
    ("CF-AWS-S3-002", "high"),
    ("CF-AWS-S3-003", "medium"),
    ("CF-AWS-S3-004", "low"),
    ("CF-AWS-S3-005", "low"),  # no access logging
    ("CF-AWS-S3-006", "medium"),  # no bucket policy denying plain HTTP
]
# the log group: no KMS key, events kept 30 days
LOG_GROUP_FINDINGS = [("CF-AWS-CW-001", "medium"), ("CF-AWS-CW-002", "low")]
FINDINGS = [(policy_id, "aws_cloudwatch_log_group.app", severity) for policy_id, severity in LOG_GROUP_FINDINGS] + [
    (policy_id, "aws_s3_bucket.public", severity) for policy_id, severity in BUCKET_FINDINGS
]
SEVERITIES = ["critical", "high", "medium", "low"]
BY_SEVERITY = sorted(FINDINGS, key=lambda finding: (SEVERITIES.index(finding[2]), finding[0]))


@pytest.fixture
def runner(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CliRunner:
    """A runner in an empty directory, so no cloudforge.yaml changes the required tags."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CLOUDFORGE_CONFIG", raising=False)
    return CliRunner()


def test_check_plan_fails_the_public_unencrypted_bucket() -> None:
    result = check_plan(FAILING, PolicyConfig(), now=NOW)
    assert not result.passed
    assert [(f.policy_id, f.resource_key, f.severity) for f in result.findings] == FINDINGS
    assert (result.evaluated, result.skipped) == (
        (("aws_s3_bucket.public", "s3_bucket"), ("aws_cloudwatch_log_group.app", "cloudwatch_log_group")),
        (("aws_sqs_queue.jobs", "aws_sqs_queue"),),
    )


def test_check_plan_passes_the_compliant_plan_given_as_a_dict() -> None:
    result = check_plan(json.loads(COMPLIANT.read_text()), PolicyConfig(), now=NOW)
    assert (result.passed, result.source, len(result.evaluated)) == (True, "plan", 6)


def test_check_plan_rejects_a_binary_plan(tmp_path: Path) -> None:
    binary = tmp_path / "tfplan"
    binary.write_bytes(b"PK\x03\x04 zipped plan")
    with pytest.raises(
        PlanFormatError, match="binary plan file; expected the JSON of `terraform show -json PLANFILE`"
    ):
        check_plan(binary, now=NOW)


def test_table_lists_findings_and_remediation(runner: CliRunner) -> None:
    result = runner.invoke(policy, ["check", str(FAILING)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert lines[2].split() == ["SEVERITY", "POLICY", "RESOURCE", "MESSAGE"]
    assert [line.split()[:3] for line in lines[3 : 3 + len(FINDINGS)]] == [
        [severity, policy_id, resource] for policy_id, resource, severity in BY_SEVERITY
    ]
    assert "  CF-AWS-S3-002  S3 bucket has no default encryption" in lines
    assert lines[-1] == (
        "FAILED: 8 findings (0 critical, 2 high, 3 medium, 3 low); 2 resources evaluated, "
        "1 not covered by any policy (aws_sqs_queue)"
    )


def test_compliant_plan_exits_zero(runner: CliRunner) -> None:
    result = runner.invoke(policy, ["check", str(COMPLIANT)])
    assert (result.exit_code, result.output.splitlines()[-1]) == (
        0,
        "PASSED: no findings; 6 resources evaluated",
    )


def test_json_format(runner: CliRunner) -> None:
    result = runner.invoke(policy, ["check", str(FAILING), "--format", "json"])
    document = json.loads(result.output)
    assert result.exit_code == 1
    assert (document["passed"], document["evaluated"], document["skipped"]) == (
        False,
        2,
        [{"address": "aws_sqs_queue.jobs", "type": "aws_sqs_queue"}],
    )
    assert [(f["policy_id"], f["severity"]) for f in document["findings"]] == [(p, s) for p, _, s in BY_SEVERITY]
    assert document["findings"][0]["frameworks"] == {
        "cis-aws-foundations-v3.0": ["2.1.4"],
        "cis-aws-foundations-v5.0": ["2.1.4"],
        "aws-foundational-security-best-practices": ["S3.8"],
    }


def test_sarif_format(runner: CliRunner) -> None:
    result = runner.invoke(policy, ["check", str(FAILING), "--format", "sarif"])
    sarif = json.loads(result.output)
    assert (result.exit_code, sarif["version"], len(sarif["runs"])) == (1, "2.1.0", 1)
    run = sarif["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == sorted(p.id for p in load_library().policies)
    assert all(r["shortDescription"]["text"] and r["help"]["text"] for r in rules)
    results = run["results"]
    level = {"critical": "error", "high": "error", "medium": "warning", "low": "note"}
    assert [(r["ruleId"], r["level"]) for r in results] == [
        (policy_id, level[severity]) for policy_id, _, severity in BY_SEVERITY
    ]
    assert all(rules[r["ruleIndex"]]["id"] == r["ruleId"] for r in results)
    location = results[0]["locations"][0]
    assert location["physicalLocation"]["artifactLocation"]["uri"] == str(FAILING)
    assert location["logicalLocations"] == [
        {"fullyQualifiedName": "aws_s3_bucket.public", "kind": "resource"}
    ]
    assert rules[[r["id"] for r in rules].index("CF-AWS-RDS-002")]["properties"]["security-severity"] == "9.5"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "not valid JSON"),
        (
            '{"format_version": "2.0", "resource_changes": []}',
            "unsupported format_version '2.0'; expected the JSON",
        ),
        ('{"format_version": "1.0", "terraform_version": "1.9.5", "values": {}}', "this is a state"),
        ("[1, 2]", "top level is list"),
    ],
)
def test_bad_input_exits_two_with_what_was_expected(
    runner: CliRunner, tmp_path: Path, content: str, message: str
) -> None:
    plan = tmp_path / "plan.json"
    plan.write_text(content)
    result = runner.invoke(policy, ["check", str(plan)])
    assert result.exit_code == 2
    assert message in result.output


def test_policy_syntax_error_exits_two_naming_the_file(runner: CliRunner, tmp_path: Path) -> None:
    broken = tmp_path / "extra" / "demo" / "broken.rego"
    broken.parent.mkdir(parents=True)
    broken.write_text(
        "# METADATA\n# title: B\n# description: B.\n# custom:\n#   id: X-1\n#   severity: low\n"
        "#   resource_types: [vpc]\n#   remediation: R.\npackage demo.broken\n\ndeny contains x if {\n"
    )
    result = runner.invoke(policy, ["check", str(COMPLIANT), "--policy-dir", str(tmp_path / "extra")])
    assert result.exit_code == 2
    assert f"error: {broken}:12:" in result.output


def test_policy_test_command_reports_each_test(runner: CliRunner) -> None:
    result = runner.invoke(policy, ["test"])
    lines = result.output.splitlines()
    assert result.exit_code == 0
    assert any(
        line.startswith("PASS  data.aws.s3.encryption_test.test_denies_bucket_without_default_encryption (")
        for line in lines
    )
    passed = int(lines[-1].split()[0])
    assert lines[-1].startswith(f"{passed} passed, 0 failed, 0 errors in ") and passed == len(lines) - 1


def test_policy_test_command_fails_on_a_failing_test(runner: CliRunner, tmp_path: Path) -> None:
    test_file = tmp_path / "extra" / "lib" / "demo_test.rego"
    test_file.parent.mkdir(parents=True)
    test_file.write_text("package lib.demo_test\n\nimport rego.v1\n\ntest_wrong if { 1 == 2 }\n")
    result = runner.invoke(policy, ["test", "--quiet", "--policy-dir", str(tmp_path / "extra")])
    assert result.exit_code == 1
    assert result.output.splitlines()[0].startswith(f"FAIL  data.lib.demo_test.test_wrong ({test_file}:5)")
    assert " passed, 1 failed, 0 errors in " in result.output.splitlines()[-1]
