"""CloudWatch metrics: collection per (account, region), rollups, metric alert rules."""
