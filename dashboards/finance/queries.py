"""The FinOps pages' queries: parameterised SQL on the finance marts, cached like the rest.

Money stays exact: the marts' numerics arrive as ``Decimal``. "Today" is the latest day with billing data, not the
clock: billing arrives a day or more late, and the demo's ends on the day its estate was seeded.

The Costs page reads ``cost_forecast`` (its filters' values) and ``cost_attribution`` (one row per day, account,
service, charge category and tags), never the line items, so it stays quick however many billing lines there are;
only a drill-down reads line items, a bounded page of them.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal

import pandas as pd
import streamlit as st

from dashboards.connection import TTL, WarehouseNotReady, any_of, query, settings

REFUSED = ("quarantined", "failed")  # load statuses of a slice the validation gate or the warehouse refused
NO_BILLING = (
    "No billing data has reached the cost marts yet. `cloudforge run` loads the billing exports (FOCUS) and "
    "builds them."
)
LINE_ITEM_LIMIT = 1000

# cost_attribution's (and cost_forecast's) columns as the Costs page filters them. Who pays is the allocated team and project; cost in a
# shared pool is 'shared' (as in cost_anomalies) until the Showback page splits it. '' is a missing account or env.
_DIMENSIONS = {
    "provider": "provider",
    "account": "coalesce(sub_account_id, '')",
    "team": "coalesce(allocated_team, 'shared')",
    "project": "coalesce(allocated_project, 'shared')",
    "env": "coalesce(env, '')",
}
_FILTERED = " AND ".join(any_of(column, name) for name, column in _DIMENSIONS.items())


@dataclass(frozen=True)
class CostOptions:
    """The latest billed day and what the billing data holds, for the Costs page's filters."""

    as_of: date  # the latest day with billing data: month to date ends here
    currencies: tuple[str, ...]  # most cost first
    values: dict[str, tuple[str, ...]]  # dimension of _DIMENSIONS -> its values, sorted


@dataclass(frozen=True)
class CostFilters:
    """One currency (amounts in different currencies never add up) and the allowed values per dimension; an
    empty tuple allows every value."""

    currency: str
    provider: tuple[str, ...] = ()
    account: tuple[str, ...] = ()
    team: tuple[str, ...] = ()
    project: tuple[str, ...] = ()
    env: tuple[str, ...] = ()

    def params(self) -> dict[str, object]:
        return {
            name: list(values) if isinstance(values, tuple) else values
            for name, values in asdict(self).items()
        }



@dataclass(frozen=True)
class LineItems:
    """A bounded page of billing lines (the costliest first) and what all the lines it was taken from add up to."""

    rows: pd.DataFrame
    matches: int
    billed_cost: Decimal
    effective_cost: Decimal


@dataclass(frozen=True)
class Anomaly:
    """One row of cost_anomalies, by its key."""

    charge_day: date
    provider: str
    currency: str
    team: str
    service_name: str



def forecast_window_days() -> int:
    return settings().costs.forecast_window_days


@st.cache_data(ttl=TTL, show_spinner=False)
def billing_as_of() -> date:
    """The latest day with billing data; none raises WarehouseNotReady."""
    as_of = query("SELECT max(charge_day) AS as_of FROM marts.cost_allocation")["as_of"].iloc[0]
    if pd.isna(as_of):
        raise WarehouseNotReady(NO_BILLING)
    return as_of


# --- Costs ------------------------------------------------------------------------------------------------


@st.cache_data(ttl=TTL, show_spinner=False)
def billing_slices() -> pd.DataFrame:
    """Each billing slice's latest load and last good one, refused slices first (billing_slice_status)."""
    return query(
        """
        SELECT slice_key, latest_status, latest_attempt_at, latest_problem, latest_warning_count, loaded_rows,
               loaded_at, serves_earlier_load
          FROM marts.billing_slice_status
         ORDER BY latest_status = 'loaded', slice_key
        """
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def billing_warnings() -> pd.DataFrame:
    """The conformance warnings of each slice's latest load, one row each (billing_slice_status)."""
    return query(
        """
        SELECT slice_key, warning ->> 'severity' AS severity, warning ->> 'rule' AS rule,
               warning ->> 'column' AS column_name, (warning ->> 'rows')::bigint AS row_count,
               warning ->> 'reason' AS reason, warning -> 'examples' ->> 0 AS first_example
          FROM marts.billing_slice_status
         CROSS JOIN LATERAL jsonb_array_elements(latest_warnings) AS warning
         ORDER BY slice_key, rule, column_name
        """
    )



@st.cache_data(ttl=TTL, show_spinner=False)
def cost_options() -> CostOptions:
    """Currencies (most cost first), each dimension's values and the latest billed day; no billing
    data raises WarehouseNotReady. Read from cost_forecast, which has a row per month and combination of the
    filters' values (a few thousand, however many billing lines), with the month's cost to date."""
    dimensions = ", ".join(f"{column} AS {name}" for name, column in _DIMENSIONS.items())
    frame = query(
        f"""
        SELECT billing_currency AS currency, {dimensions}, sum(abs(actual_cost)) AS cost,
               max(through_day) AS last_day
          FROM marts.cost_forecast
         WHERE cost_measure = 'effective_cost'
         GROUP BY billing_currency, provider, sub_account_id, allocated_team, allocated_project, env
        """
    )
    if frame.empty:
        raise WarehouseNotReady(NO_BILLING)
    currencies = frame.groupby("currency")["cost"].sum().sort_values(ascending=False, kind="stable")
    return CostOptions(
        as_of=frame["last_day"].max(),
        currencies=tuple(currencies.index),
        values={name: tuple(sorted(frame[name].unique())) for name in _DIMENSIONS},
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def daily_costs(filters: CostFilters, since: date) -> pd.DataFrame:
    """Billed and effective cost per day, team and service from ``since`` on, within the filters: small (days
    times team-service pairs), so the page derives its totals, trend and movers from it."""
    return query(
        f"""
        SELECT charge_day, coalesce(allocated_team, 'shared') AS team, service_name,
               sum(billed_cost) AS billed_cost, sum(effective_cost) AS effective_cost
          FROM marts.cost_attribution
         WHERE billing_currency = :currency AND charge_day >= :since AND {_FILTERED}
         GROUP BY charge_day, coalesce(allocated_team, 'shared'), service_name
         ORDER BY charge_day, team, service_name
        """,
        since=since,
        **filters.params(),
    )



@st.cache_data(ttl=TTL, show_spinner=False)
def month_forecast(filters: CostFilters, measure: str, as_of: date) -> Decimal:
    """The end-of-month forecast of ``measure`` for the month of ``as_of`` within the filters, to the cent: the
    cost_forecast rows they select, added up (the same forecast as budget_status's)."""
    frame = query(
        f"""
        SELECT coalesce(round(sum(forecast_cost), 2), 0) AS forecast_cost
          FROM marts.cost_forecast
         WHERE forecast_month = date_trunc('month', CAST(:as_of AS date)) AND cost_measure = :measure
           AND billing_currency = :currency AND {_FILTERED}
        """,
        as_of=as_of,
        measure=measure,
        **filters.params(),
    )
    return Decimal(frame["forecast_cost"].iloc[0])


# --- Budgets ----------------------------------------------------------------------------------------------


@st.cache_data(ttl=TTL, show_spinner=False)
def budget_months() -> list[date]:
    """The months budget_status covers, latest first."""
    return list(
        query("SELECT DISTINCT budget_month FROM marts.budget_status ORDER BY 1 DESC")["budget_month"]
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def budgets(month: date) -> pd.DataFrame:
    """Every budget in ``month``, with a status word: over budget, forecast over budget, the highest threshold
    crossed, or on track; the most spent (in percent) first."""
    return query(
        """
        SELECT budget_id, budget_scope, budget_name, currency, through_day, days_elapsed, days_in_month,
               monthly_amount, thresholds, actual_cost, forecast_cost, actual_percent, forecast_percent,
               weekday_daily_average, weekend_daily_average, actual_thresholds_crossed,
               forecast_thresholds_crossed,
               CASE WHEN actual_percent >= 100 THEN 'over budget'
                    WHEN forecast_percent >= 100 THEN 'forecast over budget'
                    WHEN cardinality(actual_thresholds_crossed) > 0
                        THEN 'crossed ' || actual_thresholds_crossed[cardinality(actual_thresholds_crossed)] || ' %'
                    ELSE 'on track' END AS status
          FROM marts.budget_status
         WHERE budget_month = :month
         ORDER BY actual_percent DESC, forecast_percent DESC, budget_id
        """,
        month=month,
    )


# --- Anomalies --------------------------------------------------------------------------------------------


@st.cache_data(ttl=TTL, show_spinner=False)
def anomalies() -> pd.DataFrame:
    """Every anomaly, latest first, the largest impact first within a day."""
    return query(
        """
        SELECT charge_day, provider, billing_currency, team, service_name, effective_cost, baseline_cost, spread,
               deviation, impact
          FROM marts.cost_anomalies
         ORDER BY charge_day DESC, impact DESC, team, service_name, provider
        """
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def anomaly_history(anomaly: Anomaly, first: date, last: date) -> pd.DataFrame:
    """The anomaly's series, the team's daily usage cost of the service, from ``first`` to ``last`` (days without
    usage as zero, as the detector counts them): charge_day, effective_cost."""
    return query(
        """
        SELECT day::date AS charge_day, coalesce(sum(a.effective_cost), 0) AS effective_cost
          FROM generate_series(CAST(:first AS date), CAST(:last AS date), interval '1 day') AS day
          LEFT JOIN marts.cost_attribution AS a
            ON a.charge_day = day::date
           AND a.charge_category = 'Usage'
           AND a.provider = :provider
           AND a.billing_currency = :currency
           AND a.service_name = :service_name
           AND coalesce(a.allocated_team, 'shared') = :team
         GROUP BY day
         ORDER BY day
        """,
        first=first,
        last=last,
        provider=anomaly.provider,
        currency=anomaly.currency,
        service_name=anomaly.service_name,
        team=anomaly.team,
    )


def anomaly_line_items(anomaly: Anomaly, limit: int = LINE_ITEM_LIMIT) -> LineItems:
    """The billing lines behind an anomaly: the team's usage of the service that day."""
    return _line_items(
        """
        SELECT cost_attribution_id
          FROM marts.cost_attribution
         WHERE charge_day = :charge_day AND provider = :provider AND billing_currency = :currency
           AND service_name = :service_name AND charge_category = 'Usage'
           AND coalesce(allocated_team, 'shared') = :team
        """,
        limit,
        **asdict(anomaly),
    )


# --- Showback ---------------------------------------------------------------------------------------------


@st.cache_data(ttl=TTL, show_spinner=False)
def allocation_periods() -> pd.DataFrame:
    """Each month and currency with allocated cost, latest month first, most cost first: month, currency and the
    last day allocated (before the month's end in the current month)."""
    return query(
        """
        SELECT date_trunc('month', charge_day)::date AS month, billing_currency AS currency,
               max(charge_day) AS through_day
          FROM marts.cost_allocation
         GROUP BY 1, 2
         ORDER BY 1 DESC, sum(abs(effective_cost)) DESC, 2
        """
    )


@st.cache_data(ttl=TTL, show_spinner=False)
def allocation_parts(month: date, currency: str) -> pd.DataFrame:
    """Each team and project's cost in ``month`` by part, 'direct' or a shared pool, billed and effective."""
    return query(
        """
        SELECT team, project, cost_pool, sum(billed_cost) AS billed_cost, sum(effective_cost) AS effective_cost
          FROM marts.cost_allocation_parts
         WHERE billing_currency = :currency
           AND charge_day >= :month AND charge_day < CAST(:month AS date) + interval '1 month'
         GROUP BY team, project, cost_pool
         ORDER BY team, project, cost_pool
        """,
        month=month,
        currency=currency,
    )


def allocation_line_items(
    month: date, currency: str, team: str, project: str, limit: int = LINE_ITEM_LIMIT
) -> LineItems:
    """The billing lines of a team and project's direct cost in ``month`` (shared pools' lines belong to all)."""
    return _line_items(
        """
        SELECT cost_attribution_id
          FROM marts.cost_attribution
         WHERE billing_currency = :currency AND cost_pool = 'direct'
           AND allocated_team = :team AND allocated_project = :project
           AND charge_day >= :month AND charge_day < CAST(:month AS date) + interval '1 month'
        """,
        limit,
        month=month,
        currency=currency,
        team=team,
        project=project,
    )


# --- Line items -------------------------------------------------------------------------------------------


@st.cache_data(ttl=TTL, show_spinner=False)
def _line_items(picked: str, limit: int, **params: object) -> LineItems:
    """The billing lines behind the cost_attribution rows that ``picked`` (a SELECT of cost_attribution_id, with
    bound ``params``) names: the costliest ``limit`` of them, how many there are and their total cost.

    cost_attribution rows lead to their cost_daily rows, and those to the lines of their grain: the same day,
    slice, account, service, region, resource and charge category (a missing one matching a missing one, in a
    join the planner can hash on every column). Lines never leave this query unbounded. Where
    lines of one grain carry tags that give them different teams (rare: one resource, several tag sets), the
    lines of the whole grain are listed.
    """
    frame = query(
        f"""
        WITH picked AS MATERIALIZED ({picked}),
        grains AS MATERIALIZED (
            SELECT DISTINCT d.charge_day, d.billing_period, d.provider, d.billing_account_id, d.sub_account_id,
                   d.service_category, d.service_name, d.region_id, d.resource_id, d.charge_category,
                   d.billing_currency
              FROM marts.cost_daily AS d
              JOIN picked USING (cost_attribution_id)
        )
        SELECT l.charge_day, l.provider, l.sub_account_id, l.region_id, l.service_name, l.resource_id,
               l.resource_name, l.charge_category, l.charge_description, l.sku_id, l.consumed_quantity,
               l.consumed_unit, l.billed_cost, l.effective_cost, l.list_cost, l.billing_currency,
               l.commitment_discount_status, CAST(l.tags AS text) AS tags, l.line_item_id,
               count(*) OVER () AS matches, sum(l.billed_cost) OVER () AS total_billed_cost,
               sum(l.effective_cost) OVER () AS total_effective_cost
          FROM marts.billing_line_items AS l
         WHERE (l.provider, l.billing_account_id, l.billing_period) IN (
                   SELECT provider, billing_account_id, billing_period FROM grains)
           AND l.charge_period_start_at >= (SELECT min(charge_day)::timestamp AT TIME ZONE 'UTC' FROM grains)
           AND l.charge_period_start_at < (SELECT (max(charge_day) + 1)::timestamp AT TIME ZONE 'UTC' FROM grains)
           AND EXISTS (
                   SELECT FROM grains AS g
                    WHERE g.charge_day = l.charge_day AND g.provider = l.provider
                      AND g.billing_account_id = l.billing_account_id AND g.billing_period = l.billing_period
                      AND g.service_category = l.service_category AND g.service_name = l.service_name
                      AND g.charge_category = l.charge_category AND g.billing_currency = l.billing_currency
                      AND coalesce(g.sub_account_id, '') = coalesce(l.sub_account_id, '')
                      AND coalesce(g.region_id, '') = coalesce(l.region_id, '')
                      AND coalesce(g.resource_id, '') = coalesce(l.resource_id, ''))
         ORDER BY abs(l.effective_cost) DESC, l.charge_day, l.line_item_id
         LIMIT :limit
        """,
        limit=limit,
        **params,
    )
    totals = frame[["matches", "total_billed_cost", "total_effective_cost"]]
    matches, billed, effective = totals.iloc[0] if len(frame) else (0, Decimal(0), Decimal(0))
    return LineItems(frame.drop(columns=list(totals)), int(matches), billed, effective)
