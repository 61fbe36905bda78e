"""HTTP API of intake."""
