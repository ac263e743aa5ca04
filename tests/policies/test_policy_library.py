"""The Rego library: its layout and metadata, the Rego tests, and load errors that name file and line."""

from __future__ import annotations

from pathlib import Path

import pytest

from policies.config import PolicyConfig
from policies.engine import RegoError
from policies.evaluate import Evaluator
from policies.library import POLICY_ROOT, PolicyLoadError, load_library
from policies.testing import run_tests

METADATA = """# METADATA
# title: Example
# description: An example policy.
# custom:
#   id: {id}
#   severity: low
#   resource_types: [s3_bucket]
#   remediation: Fix it.
"""


def _write(root: Path, relative: str, text: str) -> Path:
    path = root / relative
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def _policy(package: str, body: str, policy_id: str = "X-001") -> str:
    return METADATA.format(id=policy_id) + f"package {package}\n\nimport rego.v1\n\n{body}"


def test_library_has_thirty_policies_each_with_a_test_beside_it() -> None:
    library = load_library()
    assert len(library.policies) >= 30
    tested = {m.path for m in library.tests}
    untested = [
        p.id
        for p in library.policies
        if p.module.path.with_name(p.module.path.stem + "_test.rego") not in tested
    ]
    assert untested == []
    assert {p.module.path.relative_to(POLICY_ROOT).parts[0] for p in library.policies} == {"aws", "common"}


def test_every_library_module_has_a_test_beside_it() -> None:
    library = load_library()
    helpers = [m.path for m in library.modules if m.path.relative_to(POLICY_ROOT).parts[0] == "lib"]
    tested = {m.path for m in library.tests}
    assert len(helpers) == 6
    assert [path.name for path in helpers if path.with_name(path.stem + "_test.rego") not in tested] == []


def test_cis_controls_are_mapped() -> None:
    controls = {
        (p.id, c) for p in load_library().policies for c in p.frameworks.get("cis-aws-foundations-v3.0", ())
    }
    assert {
        ("CF-AWS-IAM-001", "1.10"),
        ("CF-AWS-IAM-003", "1.12"),
        ("CF-AWS-IAM-002", "1.14"),
        ("CF-AWS-S3-001", "2.1.4"),
        ("CF-AWS-EC2-008", "2.2.1"),
        ("CF-AWS-RDS-001", "2.3.1"),
        ("CF-AWS-RDS-002", "2.3.3"),
        ("CF-AWS-KMS-001", "3.6"),
        ("CF-AWS-EC2-001", "5.2"),
        ("CF-AWS-EC2-003", "5.4"),
    } <= controls


def test_every_rego_test_passes() -> None:
    results = run_tests()
    assert [(r.rule, r.outcome, r.output) for r in results if r.outcome != "pass"] == []
    assert len(results) >= 2 * len(load_library().policies)


def test_runner_reports_failures_and_errors_per_test(tmp_path: Path) -> None:
    _write(
        tmp_path,
        "demo/check.rego",
        _policy("demo.check", 'deny contains {"resource": "x", "message": "m"} if false\n'),
    )
    test_file = _write(
        tmp_path,
        "demo/check_test.rego",
        "package demo.check_test\n\nimport rego.v1\n\n"
        "test_passes if { true }\n\n"
        'test_fails if {\n\tprint("looked at", 1)\n\t1 == 2\n}\n\n'
        "test_errors if { 1 / 0 == 1 }\n",
    )
    results = {r.rule: r for r in run_tests([tmp_path]) if r.file == test_file}
    assert {rule: (r.outcome, r.line) for rule, r in results.items()} == {
        "data.demo.check_test.test_passes": ("pass", 5),
        "data.demo.check_test.test_fails": ("fail", 7),
        "data.demo.check_test.test_errors": ("error", 12),
    }
    assert results["data.demo.check_test.test_fails"].output == (f"{test_file}:8: looked at 1",)
    assert results["data.demo.check_test.test_errors"].output[0].startswith(f"{test_file}:12:")


def _with_examples(text: str, examples: str) -> str:
    """A policy text whose METADATA gains ``examples`` (YAML lines under custom, without the # prefix)."""
    lines = "".join(f"#   {line}\n" for line in examples.strip("\n").split("\n"))
    return text.replace("#   remediation: Fix it.\n", "#   remediation: Fix it.\n" + lines)


def test_every_policy_has_a_good_and_a_bad_example_that_policy_test_judges() -> None:
    library = load_library()
    assert [p.id for p in library.policies if p.examples is None] == []
    outcomes = {r.rule: (r.outcome, r.output) for r in run_tests() if " examples." in r.rule}
    assert outcomes == {
        f"data.{p.module.package} examples.{verdict}": ("pass", ())
        for p in library.policies
        for verdict in ("good", "bad")
    }


VERSIONING = (
    'deny contains {"resource": k, "message": "off"} if {\n'
    "\tsome k, b in input.resources.s3_bucket\n"
    "\tb.versioning_enabled == false\n"
    "}\n"
)
BUCKET = (
    "{name: b, region: null, created_at: null, encryption_algorithm: null, kms_key_id: null, "
    "versioning_enabled: %s, mfa_delete_enabled: false, public_access_block: {block_public_acls: true, "
    "ignore_public_acls: true, block_public_policy: true, restrict_public_buckets: true}, "
    "access_logging_enabled: true, tls_required: true, public_acl: false, public_policy: false, tags: {}}"
)


def test_examples_with_the_wrong_verdict_or_shape_fail_with_the_reason(tmp_path: Path) -> None:
    swapped = _with_examples(
        _policy("demo.swapped", VERSIONING),
        f"examples:\n  good:\n    s3_bucket: {BUCKET % 'false'}\n  bad:\n    s3_bucket: {BUCKET % 'true'}",
    )
    invalid = _with_examples(
        _policy("demo.invalid", VERSIONING, policy_id="X-002"),
        f"examples:\n  good:\n    s3_bucket: {{name: b}}\n  bad:\n    s3_bucket: {BUCKET % '1'}",
    )
    swapped_path = _write(tmp_path, "demo/swapped.rego", swapped)
    invalid_path = _write(tmp_path, "demo/invalid.rego", invalid)
    results = {r.rule: r for r in run_tests([tmp_path]) if r.file in (swapped_path, invalid_path)}
    denied = "denied: {'message': 'off', 'resource': 's3_bucket'}"
    assert {rule: (r.outcome, r.line, r.output) for rule, r in results.items()} == {
        "data.demo.swapped examples.good": ("fail", 9, (denied,)),
        "data.demo.swapped examples.bad": ("fail", 9, ("nothing denied",)),
        "data.demo.invalid examples.good": ("fail", 9, ('s3_bucket: "region" is a required property',)),
        "data.demo.invalid examples.bad": (
            "fail",
            9,
            ('s3_bucket: 1 is not of type "boolean"', "nothing denied"),
        ),
    }


@pytest.mark.parametrize(
    ("examples", "message"),
    [
        ("examples:\n  good: {s3_bucket: {}}", "must give good and bad"),
        ("examples:\n  good: {s3_bucket: {}}\n  bad: {vpc: {}}", r"bad has types \['vpc'\] that are not"),
        ("examples:\n  good: {s3_bucket: []}\n  bad: {s3_bucket: {}}", "good must map each resource type"),
        ("examples:\n  good: {s3_bucket: {}}\n  bad: {s3_bucket: {}}\n  when: x", r"unknown keys \['when'\]"),
    ],
)
def test_malformed_examples_stop_loading(tmp_path: Path, examples: str, message: str) -> None:
    _write(tmp_path, "demo/x.rego", _with_examples(_policy("demo.x", VERSIONING), examples))
    with pytest.raises(PolicyLoadError, match=rf"demo/x.rego:1: METADATA custom.examples .*{message}"):
        load_library([tmp_path])


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    path = _write(
        tmp_path, "demo/broken.rego", _policy("demo.broken", "deny contains result if {\n\tresult := {\n}\n")
    )
    with pytest.raises(RegoError) as raised:
        Evaluator(PolicyConfig(extra_dirs=[tmp_path]))
    assert str(raised.value).startswith(f"{path}:16:")
    assert (raised.value.file, raised.value.line) == (str(path), 16)


def test_error_found_only_when_compiling_names_file_and_line(tmp_path: Path) -> None:
    body = 'deny contains {"resource": k, "message": "m"} if {\n\tk == x\n\tx := input.resources.vpc[_]\n}\n'
    path = _write(tmp_path, "demo/late.rego", _policy("demo.late", body))
    with pytest.raises(RegoError, match=rf"^{path}:14:10: var `x` used before definition"):
        Evaluator(PolicyConfig(extra_dirs=[tmp_path]))


@pytest.mark.parametrize(
    ("relative", "text", "message"),
    [
        (
            "demo/a.rego",
            "package demo.a\n\ndeny contains x if { x := 1 }\n",
            r"demo/a.rego:1: a policy needs a `# METADATA`",
        ),
        ("demo/b.rego", _policy("demo.other", ""), r"demo/b.rego:9: package demo.other should be demo.b"),
        (
            "demo/c.rego",
            _policy("demo.c", "allow := true\n"),
            r"demo/c.rego:1: a policy needs a `deny contains",
        ),
        (
            "demo/d.rego",
            _policy("demo.d", "deny contains 1 if time.now_ns() > 0\n"),
            r"demo/d.rego:13: time.now_ns\(\) reads the clock",
        ),
        (
            "demo/e.rego",
            _policy("demo.e", "deny contains 1 if false\n").replace("severity: low", "severity: urgent"),
            r"demo/e.rego:1: METADATA custom.severity must be one of critical, high, medium, low",
        ),
        (
            "demo/f.rego",
            _policy("demo.f", "deny contains 1 if false\n").replace("[s3_bucket]", "[s3_buckets]"),
            r"demo/f.rego:1: METADATA custom.resource_types has unknown types \['s3_buckets'\]",
        ),
        (
            "demo/g.rego",
            _policy("demo.g", "deny contains 1 if false\n").replace("title: Example", "title: [unclosed"),
            r"demo/g.rego:\d+: METADATA is not valid YAML",
        ),
        (
            "demo/h.rego",
            _policy("demo.h", "deny contains 1 if false\n", policy_id="CF-AWS-S3-001"),
            r"demo/h.rego:1: policy id CF-AWS-S3-001 is already defined in .*/s3/public_access_block.rego",
        ),
    ],
)
def test_invalid_policy_files_name_file_and_line(
    tmp_path: Path, relative: str, text: str, message: str
) -> None:
    _write(tmp_path, relative, text)
    with pytest.raises(PolicyLoadError, match=message):
        load_library([tmp_path])


def test_missing_extra_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(PolicyLoadError, match="policy directory does not exist"):
        load_library([tmp_path / "nope"])
