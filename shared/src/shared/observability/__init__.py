"""Metrics (Prometheus) and traces (OpenTelemetry) of every process; see docs/observability.md."""
