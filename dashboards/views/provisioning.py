"""Provisioning: which environments were asked for, what they would create and cost, who approved them, and what
happened since.

The requests with their status; for the one chosen, the plan's resources with their monthly estimate, the policy
gate's findings, the approvals (with a form to approve the current plan, as `cloudforge provision approve` does),
the ledger's nodes with how the inventory found them, and the audit log. Below, a form plans a new request from a
blueprint and its parameters, as `cloudforge provision plan` does. Applying stays with the CLI and the sensor.
"""

import pandas as pd
import streamlit as st
import yaml

from dashboards.provisioning import ledger
from dashboards.text import literal
from provisioners.blueprints.blueprint import load_blueprint, shipped_blueprints
from provisioners.blueprints.yaml_lines import SourceError
from provisioners.ledger import NotApproved

REQUEST_COLUMNS = {
    "request_id": "Request", "name": "Name", "blueprint": "Blueprint", "team": "Team", "account_id": "Account",
    "region": "Region", "status": "Status", "monthly_estimate": "Monthly estimate ($)", "approvals": "Approvals",
    "approvals_needed": "Needed", "requested_by": "Requested by", "updated_at": "Updated",
}  # fmt: skip


def plan_resources(plan: dict) -> pd.DataFrame:
    """The plan's nodes in apply order with their monthly estimate."""
    estimates = {e["node"]: e for e in plan["estimate"]}
    return pd.DataFrame(
        [{"node": node_id, "address": plan["nodes"][node_id]["address"], "type": plan["nodes"][node_id]["type"],
          "depends on": ", ".join(plan["nodes"][node_id]["depends_on"]),
          "monthly ($)": estimates[node_id]["monthly"], "basis": estimates[node_id]["basis"]}
         for node_id in plan["order"]]
    )  # fmt: skip


def show_request(row) -> None:
    st.subheader(f"{literal(row.name)} · {row.status}")
    st.caption(f"{row.request_id}, blueprint {literal(row.blueprint)}, plan {row.plan_hash or 'none yet'}")
    if row.message:
        st.warning(literal(row.message), icon=":material/block:")
    plan = row.plan
    if plan:
        resources, monthly, budget = st.columns(3)
        resources.metric("Resources", f"{len(plan['order']):,}")
        monthly.metric("Monthly estimate", f"${plan['monthly']}")
        if plan["budget"]:
            over = "over budget" if plan["budget"]["over"] else "within budget"
            budget.metric(
                f"Budget {plan['budget']['budget_id']}", f"${plan['budget']['forecast']} of "
                f"${plan['budget']['monthly_amount']}", help=f"This month's forecast before the request: {over}",
            )
        else:
            budget.metric("Budget", "none", help="The team has no budget in marts.budget_status")
        st.markdown("**Plan**")
        st.dataframe(plan_resources(plan), hide_index=True)
        st.markdown("**Policy gate**")
        if plan["findings"]:
            st.dataframe(pd.DataFrame(plan["findings"]), hide_index=True)
        else:
            st.success("The policy library found nothing to deny.", icon=":material/verified:")

    st.markdown(f"**Approvals** ({len(row.approvers)} of {row.approvals_needed} for the current plan)")
    st.dataframe(ledger.approvals(row.request_id), hide_index=True)
    if row.status == "awaiting_approval":
        with st.form("approve"):
            approver = st.text_input("Approve as", key="approver")
            if st.form_submit_button("Approve this plan") and approver.strip():
                try:
                    approved = ledger.approve(row, approver.strip())
                    st.success(f"Approved by {literal(approver.strip())}: {approved.status} "
                               f"({len(approved.approvers)} of {approved.approvals_needed} approvals)")  # fmt: skip
                except (NotApproved, SourceError) as refused:
                    st.error(literal(refused))

    st.markdown("**Resources created**")
    st.dataframe(ledger.nodes(row.request_id), hide_index=True)
    st.markdown("**Events**")
    st.dataframe(ledger.events(row.request_id), hide_index=True)


def new_request_form() -> None:
    st.subheader("New request")
    blueprint = st.selectbox("Blueprint", shipped_blueprints(), key="new_blueprint")
    parameters = load_blueprint(blueprint).parameters
    st.caption("Parameters: " + "; ".join(
        f"{p.name} ({p.type}{', required' if p.required else f', default {p.default}'})" for p in parameters.values()
    ))  # fmt: skip
    with st.form("new_request"):
        name, account, region = st.columns(3)
        document = {
            "name": name.text_input("Name", key="new_name"),
            "blueprint": blueprint,
            "account": account.text_input("Account", key="new_account"),
            "region": region.text_input("Region", value="us-east-1", key="new_region"),
        }
        team, project, env, owner = st.columns(4)
        document["tags"] = {
            "team": team.text_input("Team", key="new_team"), "project": project.text_input("Project", key="new_project"),
            "env": env.text_input("Env", key="new_env"), "owner": owner.text_input("Owner", key="new_owner"),
        }  # fmt: skip
        document["requested_by"] = st.text_input("Requested by", key="new_requested_by")
        parameters_yaml = st.text_area("Parameters (YAML)", key="new_parameters")
        if st.form_submit_button("Plan request"):
            try:
                plan = ledger.plan_new_request(document, parameters_yaml)
            except (SourceError, yaml.YAMLError) as problem:
                st.error(f"Not planned: {literal(problem)}")
            else:
                verdict = literal(plan.blocked) if plan.blocked else f"{plan.approvals_needed} approval(s) needed"
                st.success(f"Planned {plan.graph.request.id}: {len(plan.graph.nodes)} resources, "
                           f"${plan.monthly}/month; {verdict}")  # fmt: skip


st.title("Provisioning")
st.caption(
    "Requests for environments from blueprints: each is planned through the policy gate and the team's budget, "
    "approved, then applied by `cloudforge provision apply` or the provisioning sensor."
)
requests = ledger.requests()
if requests.empty:
    st.info("No provisioning requests yet: plan one below or with `cloudforge provision plan REQUEST.yaml`.")
else:
    st.dataframe(requests.rename(columns=REQUEST_COLUMNS), hide_index=True)
    chosen = st.selectbox("Request", list(requests["request_id"]), key="request_id",
                          format_func=lambda rid: f"{rid} ({requests.set_index('request_id').at[rid, 'name']})")  # fmt: skip
    row = ledger.request(chosen)
    if row is not None:
        show_request(row)
new_request_form()
