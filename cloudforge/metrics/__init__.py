"""Metrics: points written to a time-series server (VictoriaMetrics embedded, InfluxDB 2.x/3.x in production)
and read back through one small interface."""
