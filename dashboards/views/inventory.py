"""Inventory: what we run, where, and who owns it.

Headline figures and totals cover the whole estate; the filters narrow the resource table, whose selected
row (or the resource the address names, ?resource=<resource_key>) opens the detail below it: its tags,
configuration, history, what it depends on and what deleting it would affect; tag coverage closes the page.
"""

from datetime import UTC, datetime

import pandas as pd
import streamlit as st

from dashboards.inventory import charts, queries
from dashboards.text import NONE_LABEL, literal

LABELS = {
    "name": "Name",
    "resource_id": "ID",
    "cloud": "Cloud",
    "account_id": "Account",
    "region": "Region",
    "resource_type": "Type",
    "state": "State",
    "team": "Team",
    "project": "Project",
    "env": "Environment",
    "owner": "Owner",
    "created_at": "Created",
    "synced_at": "Synced",
    "relation": "Relation",
    "depth": "Depth",
}
FILTERED = ("cloud", "account_id", "region", "resource_type", "team", "env", "state")
CHARTED = ("cloud", "account_id", "region", "resource_type")
TABLE_COLUMNS = ("name", "resource_id", "cloud", "account_id", "region", "resource_type", "state", "team",
                 "project", "env", "owner", "created_at")
ATTRIBUTES = ("resource_id", "cloud", "account_id", "region", "resource_type", "state", "created_at", "team",
              "project", "env", "owner", "synced_at")
MISSING_COLUMNS = ("name", "resource_id", "cloud", "account_id", "region", "resource_type", "team",
                   "missing_tags")
RELATED_COLUMNS = ("relation", "name", "resource_type", "resource_id")
COVERAGE_COLUMNS = ("account_id", "team", "resource_count", "compliant_resource_count", "coverage_ratio")


def filter_controls(totals: pd.DataFrame) -> queries.ResourceFilters:
    """Search box and one multiselect per column, offering the values the estate actually has."""
    search = st.text_input("Search name, ID or ARN", key="search", placeholder="e.g. web, i-0abc, arn:aws:s3")
    chosen = {}
    for slot, column in zip(st.columns(4) + st.columns(4), FILTERED):
        options = sorted(totals.loc[totals["dimension"] == column, "value"])
        picked = slot.multiselect(LABELS[column], options, key=f"filter_{column}", format_func=or_none)
        chosen[column] = tuple(picked)
    return queries.ResourceFilters(search=search, **chosen)


def show_resource(resource_key: str) -> None:
    """Attributes, tags, missing required tags, the configuration document, history and relationships of one
    resource."""
    item = queries.resource(resource_key)
    if item is None:
        st.info("This resource is no longer in the inventory.")
        return
    st.subheader(literal(item["name"] or item["resource_id"]))
    st.caption(literal(item["arn"] or item["resource_key"]))
    facts, document = st.columns([2, 3])
    with facts:
        attributes = pd.DataFrame(
            [(LABELS[key], display(item[key])) for key in ATTRIBUTES], columns=["Attribute", "Value"]
        )
        st.dataframe(attributes, hide_index=True, height="content")
        missing = queries.missing_required_tags(resource_key)
        if len(missing):
            st.warning("Missing required tags: " + literal(", ".join(missing["missing_tags"].iloc[0])))
        else:
            st.success("Carries every required tag.")
        st.markdown("**Tags**")
        st.dataframe(
            queries.resource_tags(resource_key),
            hide_index=True,
            height="content",
            column_config={"tag_key": "Key", "tag_value": "Value", "canonical_key": "Counts as"},
        )
    with document:
        st.markdown("**Configuration**")
        st.json(item["configuration"], expanded=2)
    show_history(resource_key)
    show_relationships(resource_key)


def show_history(resource_key: str) -> None:
    """The resource's events, latest first, with the attributes each change touched."""
    st.markdown("**History**")
    events = queries.resource_history(resource_key)
    st.caption(f"{len(events):,} events since the inventory first saw it.")
    st.dataframe(
        events,
        hide_index=True,
        height="content",
        column_config={
            "changed_at": st.column_config.DatetimeColumn("When", format="YYYY-MM-DD HH:mm"),
            "change_type": "Event",
            "changed_attributes": st.column_config.ListColumn("Changed attributes"),
        },
    )


def show_relationships(resource_key: str) -> None:
    """What the resource depends on, and what depends on it, directly or not: what deleting it would affect."""
    depends_on, affected = st.columns(2)
    with depends_on:
        st.markdown("**Depends on**")
        dependencies = queries.dependencies(resource_key)
        st.caption(f"{len(dependencies):,} resources." if len(dependencies) else "Nothing.")
        st.dataframe(dependencies, hide_index=True, height="content", column_order=RELATED_COLUMNS,
                     column_config=labelled(RELATED_COLUMNS))
    with affected:
        st.markdown("**Deleting it affects**")
        dependents = queries.dependents(resource_key)
        direct = int((dependents["depth"] == 1).sum())
        st.caption(f"{len(dependents):,} resources depend on it, {direct:,} directly." if len(dependents)
                   else "Nothing depends on it.")
        st.dataframe(dependents, hide_index=True, height="content", column_order=("depth", *RELATED_COLUMNS),
                     column_config=labelled(("depth", *RELATED_COLUMNS)))


def labelled(columns: tuple[str, ...], **special: object) -> dict[str, object]:
    """Column configuration for a table of marts columns: their labels, or a special column type."""
    return {column: special.get(column, LABELS.get(column)) for column in columns}


def or_none(value: str) -> str:
    """'' is how the data module marks a missing value (an untagged team, a global resource's region)."""
    return value or NONE_LABEL


def display(value: object) -> str:
    """A cell value as text: timestamps in UTC to the minute, missing values as a dash."""
    if value is None or pd.isna(value):
        return "—"
    if isinstance(value, datetime):
        return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return str(value)


st.title("Inventory")
st.caption("What we run across clouds, where it runs, and who owns it.")

summary = queries.inventory_summary()
st.sidebar.caption(f"Inventory synced {display(summary.synced_at)}")

resources, accounts, regions, types, coverage = st.columns(5)
resources.metric("Resources", f"{summary.resources:,}")
accounts.metric("Accounts", f"{summary.accounts:,}")
regions.metric("Regions", f"{summary.regions:,}")
types.metric("Resource types", f"{summary.resource_types:,}")
coverage.metric(
    "Tag coverage",
    "—" if summary.tag_coverage is None else f"{summary.tag_coverage:.0%}",
    help="Share of resources carrying every required tag",
)

st.header("Where it runs")
totals = queries.totals()
for slot, column in zip(st.columns(2) + st.columns(2), CHARTED):
    slot.altair_chart(charts.resources_by(totals[totals["dimension"] == column], LABELS[column]))

st.header("Resources")
filters = filter_controls(totals)
table, matches = queries.search_resources(filters)
shown = f"the first {len(table):,} of " if len(table) < matches else ""
st.caption(
    f"Showing {shown}{matches:,} matching resources. "
    "Select a row to see its tags, configuration, history and dependencies."
)
selection = st.dataframe(
    table,
    hide_index=True,
    key="resource_table",
    on_select="rerun",
    selection_mode="single-row",
    column_order=TABLE_COLUMNS,
    column_config=labelled(
        TABLE_COLUMNS, created_at=st.column_config.DatetimeColumn("Created", format="YYYY-MM-DD HH:mm")
    ),
)
selected = [row for row in selection.selection.rows if row < len(table)]
if selected:  # the page's address names the selected resource, so a link opens its detail (?resource=<key>)
    st.query_params["resource"] = table["resource_key"].iloc[selected[0]]
if "resource" in st.query_params:
    with st.container(border=True):
        show_resource(st.query_params["resource"])

st.header("Tag coverage")
coverage_by_team = queries.tag_coverage()
heatmap, numbers = st.columns([2, 3])
heatmap.altair_chart(charts.coverage_heatmap(coverage_by_team))
numbers.dataframe(
    coverage_by_team.assign(
        team=coverage_by_team["team"].map(or_none), coverage_ratio=coverage_by_team["coverage_ratio"] * 100
    ),
    hide_index=True,
    column_config=labelled(
        COVERAGE_COLUMNS,
        resource_count=st.column_config.NumberColumn("Resources", width="small"),
        compliant_resource_count=st.column_config.NumberColumn("Tagged", width="small"),
        coverage_ratio=st.column_config.ProgressColumn(
            "Coverage", format="%.0f%%", min_value=0, max_value=100
        ),
    ),
)

st.subheader("Resources missing required tags")
missing = queries.missing_required_tags()
st.caption(f"{len(missing):,} resources lack at least one required tag.")
st.dataframe(
    missing,
    hide_index=True,
    column_order=MISSING_COLUMNS,
    column_config=labelled(MISSING_COLUMNS, missing_tags=st.column_config.ListColumn("Missing tags")),
)
