"""HTTP API of notification."""
