"""The policies on the demo's security settings (``demo.compliance``), on the session's `cloudforge run`.

Each policy's exact finding count comes from the estate's records; each fails some demo resources and passes
others, so the demo shows both (CF-AWS-RDS-010 excepted: moto does not report Performance Insights).
"""

from __future__ import annotations

from collections import Counter

from cloudforge.warehouse import connect
from policies.library import load_library
from support.demo_compliance import flagged_by_settings

POLICIES = {policy.id: policy for policy in load_library().policies}


def test_each_settings_policy_finds_exactly_what_the_estate_sets(demo_run):
    flagged = flagged_by_settings(demo_run.estate)
    with connect(demo_run.url) as conn:
        rows = conn.execute(
            "SELECT policy_id, count(*) FROM marts.compliance_findings"
            " WHERE policy_id = ANY(%s) GROUP BY policy_id",
            (sorted(flagged) + ["CF-AWS-RDS-010"],),
        ).fetchall()
    assert Counter(dict(rows)) == Counter({policy: len(specs) for policy, specs in flagged.items() if specs})


def test_the_demo_has_a_passing_and_a_failing_resource_for_each(demo_run):
    for policy_id, specs in flagged_by_settings(demo_run.estate).items():
        [resource_type] = POLICIES[policy_id].resource_types
        judged = sum(spec.resource_type == resource_type for spec in demo_run.estate.resources)
        assert 0 < len(specs) < judged, policy_id
