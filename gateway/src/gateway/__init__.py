"""The API gateway: the one public entry, API keys, routing to services, problem+json."""
