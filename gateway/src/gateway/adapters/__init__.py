"""The gateway's adapters: all of its SQL (API keys, its own audit entries)."""
