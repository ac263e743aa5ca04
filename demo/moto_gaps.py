"""Settings moto accepts but does not report back: the demo sets them on moto's in-process models, as AWS
would have stored them, so the inventory reads what the estate asked for (like ``demo.backdating`` for
creation times)."""

from __future__ import annotations


def report_performance_insights(account_id: str, region: str, db_instance: str, enabled: bool) -> None:
    """moto takes CreateDBInstance's EnablePerformanceInsights and drops it; its serializer answers
    DescribeDBInstances' PerformanceInsightsEnabled from the model's ``performance_insights_enabled``."""
    from moto.backends import get_backend

    get_backend("rds")[account_id][region].databases[db_instance].performance_insights_enabled = enabled
