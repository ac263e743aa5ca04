"""The framework coverage data and its generated table (docs/compliance-coverage.md)."""

from __future__ import annotations

from dataclasses import replace

from click.testing import CliRunner

from cloudforge.cli.policy import policy
from policies.coverage import (
    COVERAGE_DOC,
    RECOMMENDATIONS_SEED,
    load_frameworks,
    problems,
    render,
    render_seed,
)
from policies.library import load_library


def test_the_committed_table_is_the_generators_output() -> None:
    expected = render(load_frameworks(), load_library().policies)
    assert COVERAGE_DOC.read_text(encoding="utf-8") == expected, "run `cloudforge policy coverage`"


def test_the_committed_seed_is_the_generators_output() -> None:
    expected = render_seed(load_frameworks())
    assert RECOMMENDATIONS_SEED.read_text(encoding="utf-8") == expected, "run `cloudforge policy coverage`"
    assert expected.count("\n") == 1 + 62 + 63  # the header, then every recommendation of both versions


def test_every_automated_recommendation_has_policies_or_a_stated_gap() -> None:
    assert problems(load_frameworks(), load_library().policies) == []


def test_the_lists_hold_every_recommendation_of_both_versions() -> None:
    counts = {
        f.id: (len(f.recommendations), sum(r.automated for r in f.recommendations)) for f in load_frameworks()
    }
    # CIS v3.0.0: 62 recommendations, 54 automated; v5.0.0: 63, 35 automated
    assert counts == {"cis-aws-foundations-v3.0": (62, 54), "cis-aws-foundations-v5.0": (63, 35)}
    for framework in load_frameworks():
        ids = [r.id for r in framework.recommendations]
        assert len(ids) == len(set(ids)), framework.id


def test_a_missing_gap_or_an_unknown_id_is_reported() -> None:
    """Every automated recommendation is checked: without the Access Analyzer policy (the only one mapping
    v3 1.20 / v5 1.19), both are automated with no policy and no gap."""
    v3, v5 = load_frameworks()
    broken = replace(v3, recommendations=tuple(r for r in v3.recommendations if r.id != "5.6"))
    policies = [p for p in load_library().policies if p.id != "CF-AWS-IAM-017"]
    assert problems([broken, v5], policies) == [
        "cis-aws-foundations-v3.0 5.6: mapped by CF-AWS-EC2-006, not in the list",
        "cis-aws-foundations-v3.0 1.20: automated, but no policy and no gap",
        "cis-aws-foundations-v5.0 1.19: automated, but no policy and no gap",
    ]


def test_manual_recommendations_are_listed_as_manual() -> None:
    text = render(load_frameworks(), load_library().policies)
    assert "| 5.6 | Ensure routing tables for VPC peering are least access | manual |" in text
    assert "| 2.1.2 | Ensure MFA Delete is enabled on S3 buckets | manual | CF-AWS-S3-004 |" in text


def test_the_command_reports_an_up_to_date_table() -> None:
    result = CliRunner().invoke(policy, ["coverage", "--check"])
    assert (result.exit_code, result.output) == (
        0,
        f"{COVERAGE_DOC}: up to date\n{RECOMMENDATIONS_SEED}: up to date\n",
    )
