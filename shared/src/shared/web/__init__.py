"""The HTTP edge of the shared library: what only a FastAPI app needs (kept out of domain code)."""
