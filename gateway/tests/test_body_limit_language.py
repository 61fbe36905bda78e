"""The gateway's own problem details have their Russian in shared.web.i18n's catalogue."""

from __future__ import annotations

from gateway.limits import _too_large_detail
from shared.web.i18n import localize


def test_the_gateways_body_limit_detail_is_catalogued() -> None:
    """The gateway writes this detail itself; its Russian must follow when it changes."""
    body = {
        "type": "/problems/payload-too-large",
        "title": "Payload too large",
        "status": 413,
        "detail": _too_large_detail(1_048_576, 1_048_577),
    }
    detail = localize(body, "ru")["detail"]
    assert detail.startswith("В теле запроса 1,048,577 байт или больше"), detail
    assert "POST /api/v1/tickets/{id}/attachments" in detail
