"""Compliance: does what we run pass the policy library, and where does it not?

Headline figures cover the latest policy run; the filters (framework, severity, account, team) narrow the
posture per control, the failing resources with their remediation and the trend; for a benchmark (CIS AWS
Foundations) every recommendation follows by section, manual ones and gaps shown as such; the waivers close
the page.
"""

import streamlit as st

from dashboards.compliance import charts, queries
from dashboards.compliance.charts import SEVERITY_ORDER

FINDING_COLUMNS = (
    "severity",
    "policy_title",
    "resource_name",
    "resource_type",
    "account_id",
    "region",
    "team",
    "message",
    "remediation",
    "controls",
    "first_seen_at",
)
WAIVER_COLUMNS = (
    "policy_id",
    "policy_title",
    "resource_pattern",
    "waiver_reason",
    "waiver_owner",
    "expires_on",
    "days_until_expiry",
    "is_active",
    "waived_findings",
    "waiver_origin",
)
RECOMMENDATION_COLUMNS = (
    "recommendation_id",
    "title",
    "section",
    "assessment",
    "status",
    "policy_ids",
    "evaluated_resources",
    "failing_resources",
    "gap_reason",
)
POSTURE_COLUMNS = (
    "control_id",
    "policy_ids",
    "evaluated_resources",
    "failing_resources",
    "waived_resources",
    "pass_rate",
)


def filter_controls(options: dict[str, list[str]]) -> queries.ComplianceFilters:
    """Framework first (it decides the controls), then severity, account and team."""
    frameworks = options.get("framework", [])
    framework, severity, account, team = st.columns(4)
    chosen = framework.selectbox(
        "Framework",
        frameworks,
        index=frameworks.index("cloudforge") if "cloudforge" in frameworks else 0,
        key="compliance_framework",
        help="'cloudforge' is the whole library, one control per policy.",
    )
    return queries.ComplianceFilters(
        framework=chosen,
        severities=tuple(severity.multiselect("Severity", SEVERITY_ORDER, key="compliance_severity")),
        accounts=tuple(account.multiselect("Account", options.get("account", []), key="compliance_account")),
        teams=tuple(team.multiselect("Team", options.get("team", []), key="compliance_team")),
    )


def when(moment) -> str:
    return "—" if moment is None else moment.strftime("%Y-%m-%d %H:%M UTC")


st.title("Compliance")
st.caption(
    "The Rego policy library over the live inventory: posture per framework and control, what fails "
    "and how to fix it, and the exceptions we accepted."
)

summary = queries.compliance_summary()
st.sidebar.caption(f"Policies evaluated {when(summary.evaluated_at)}")

open_, urgent, waived, passing = st.columns(4)
open_.metric("Open findings", f"{summary.open_findings:,}")
urgent.metric(
    "Critical and high", f"{summary.urgent_findings:,}", help="Open findings of critical or high severity"
)
waived.metric(
    "Waived", f"{summary.waived_findings:,}", help="Failing, but accepted by a waiver until it expires"
)
passing.metric(
    "Checks passing",
    "—" if summary.checks_passing is None else f"{summary.checks_passing:.1%}",
    help=f"Share of the {summary.checks:,} (resource, policy) checks of the latest run with no open finding",
)

filters = filter_controls(queries.compliance_options())

st.header("Posture by control")
posture = queries.control_posture(filters)
if posture.empty:
    st.info("No resource matches these filters.")
else:
    chart, table = st.columns([3, 4])
    chart.altair_chart(charts.control_pass_rates(posture, f"Pass rate per control: {filters.framework}"))
    table.dataframe(
        posture.assign(pass_rate=posture["pass_rate"] * 100),
        hide_index=True,
        column_order=POSTURE_COLUMNS,
        column_config={
            "control_id": "Control",
            "policy_ids": "Policies",
            "evaluated_resources": st.column_config.NumberColumn("Evaluated", width="small"),
            "failing_resources": st.column_config.NumberColumn("Failing", width="small"),
            "waived_resources": st.column_config.NumberColumn("Waived", width="small"),
            "pass_rate": st.column_config.ProgressColumn(
                "Pass rate", format="%.1f%%", min_value=0, max_value=100
            ),
        },
    )

recommendations = queries.recommendation_posture(filters)
if not recommendations.empty:
    st.header("Posture by recommendation")
    st.caption(
        "Every recommendation of the benchmark: failing or passing on the filtered resources, not evaluated "
        "when no resource of its policies' types is here, manual when people review it, or the reason no "
        "policy checks it (docs/compliance-coverage.md)."
    )
    st.dataframe(
        queries.section_posture(recommendations),
        hide_index=True,
        column_config={"section": "Section"},
    )
    st.dataframe(
        recommendations,
        hide_index=True,
        column_order=RECOMMENDATION_COLUMNS,
        column_config={
            "recommendation_id": "Id",
            "title": st.column_config.TextColumn("Recommendation", width="large"),
            "section": "Section",
            "assessment": "Assessment",
            "status": "Status",
            "policy_ids": "Policies",
            "evaluated_resources": st.column_config.NumberColumn("Evaluated", width="small"),
            "failing_resources": st.column_config.NumberColumn("Failing", width="small"),
            "gap_reason": st.column_config.TextColumn("Why no policy", width="large"),
        },
    )

st.header("Failing resources")
findings, matches = queries.failing_resources(filters)
shown = f"the first {len(findings):,} of " if len(findings) < matches else ""
st.caption(f"Showing {shown}{matches:,} open findings, most severe first.")
st.dataframe(
    findings,
    hide_index=True,
    column_order=FINDING_COLUMNS,
    column_config={
        "severity": "Severity",
        "policy_title": "Policy",
        "resource_name": "Resource",
        "resource_type": "Type",
        "account_id": "Account",
        "region": "Region",
        "team": "Team",
        "message": "What is wrong",
        "remediation": st.column_config.TextColumn("Remediation", width="large"),
        "controls": st.column_config.ListColumn("Controls"),
        "first_seen_at": st.column_config.DatetimeColumn("First seen", format="YYYY-MM-DD"),
    },
)

st.header("Trend")
trend = queries.compliance_trend(filters)
if trend.empty:
    st.info("No findings recorded yet for these filters.")
else:
    st.altair_chart(charts.findings_trend(trend))

st.header("Waivers")
waivers = queries.waivers()
expired = int((~waivers["is_active"]).sum()) if len(waivers) else 0
st.caption(
    f"{len(waivers) - expired:,} active, {expired:,} expired. "
    "Add one in config (policies.waivers) or with SQL: "
    "INSERT INTO raw_policies.waivers (policy_id, resource_pattern, reason, owner, expires_on) VALUES (...)."
)
st.dataframe(
    waivers,
    hide_index=True,
    column_order=WAIVER_COLUMNS,
    column_config={
        "policy_id": "Policy",
        "policy_title": "Title",
        "resource_pattern": "Resources",
        "waiver_reason": "Reason",
        "waiver_owner": "Owner",
        "expires_on": st.column_config.DateColumn("Expires", format="YYYY-MM-DD"),
        "days_until_expiry": st.column_config.NumberColumn("Days left", width="small"),
        "is_active": st.column_config.CheckboxColumn("Active", width="small"),
        "waived_findings": st.column_config.NumberColumn("Hides", width="small"),
        "waiver_origin": "From",
    },
)
