"""The gateway's principal headers for tests that call a service in process.

A service trusts ``x-principal-*`` only with the right ``x-internal-token``
(``shared.auth``); tests build its settings with ``internal_token=TEST_TOKEN``
and send these headers, as the gateway would.
"""

from __future__ import annotations

from uuid import UUID

from shared.auth import HEADER_CUSTOMER, HEADER_ID, HEADER_ROLE, HEADER_TOKEN, Role

TEST_TOKEN = "test-internal-token-5b7e"


def principal_headers(
    role: Role | str,
    customer_id: UUID | str | None = None,
    *,
    token: str = TEST_TOKEN,
    key_id: str = "test-key",
) -> dict[str, str]:
    """Headers of a request the gateway forwards for a key of ``role`` (bound to ``customer_id``)."""
    headers = {HEADER_TOKEN: token, HEADER_ROLE: str(Role(role)), HEADER_ID: key_id}
    if customer_id is not None:
        headers[HEADER_CUSTOMER] = str(customer_id)
    return headers
