"""Problems through the gateway in the caller's language: the same ``type``, English by default.

The gateway's own refusals (no key, a body too large) are translated by the gateway;
a service's (a role it refuses, a field it rejects, a ticket it cannot show) by the
service, which gets the caller's Accept-Language from the gateway.
"""

from __future__ import annotations

import uuid

import httpx
import pytest

from shared.testing.builders import key_client, make_customer

pytestmark = [pytest.mark.e2e, pytest.mark.asyncio(loop_scope="session")]

RU = {"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"}


async def _both(
    api: httpx.AsyncClient, method: str, url: str, **kwargs: object
) -> tuple[httpx.Response, httpx.Response]:
    headers = dict(kwargs.pop("headers", {}) or {})  # type: ignore[call-overload]
    en = await api.request(method, url, headers=headers, **kwargs)  # type: ignore[arg-type]
    ru = await api.request(method, url, headers={**headers, **RU}, **kwargs)  # type: ignore[arg-type]
    assert en.status_code == ru.status_code, (en.text, ru.text)
    assert en.json()["type"] == ru.json()["type"]
    assert en.headers["content-type"].startswith("application/problem+json")
    assert ru.headers["content-type"].startswith("application/problem+json")
    assert ru.headers["content-language"] == "ru"
    assert "content-language" not in en.headers
    return en, ru


async def test_a_missing_key_is_refused_in_either_language(api: httpx.AsyncClient) -> None:
    en, ru = await _both(api, "GET", "/api/v1/tickets", headers={"Authorization": ""})
    assert en.status_code == 401
    assert en.json()["title"] == "Unauthorized"
    assert en.json()["detail"].startswith("Send an API key as 'Authorization: Bearer <key>'")
    assert ru.json()["title"] == "Нужна аутентификация"
    assert ru.json()["detail"].startswith("Передайте API-ключ в заголовке")


async def test_a_services_role_refusal_comes_back_in_russian(api: httpx.AsyncClient) -> None:
    customer = await make_customer(api)
    async with key_client(api, "bot", customer["id"]) as bot:
        en, ru = await _both(
            bot, "POST", "/api/v1/staff", json={"name": "X", "email": "x@v.example", "line": 1}
        )
    assert en.status_code == 403
    assert en.json()["detail"].startswith("A bot key may not call POST /api/v1/staff;")
    assert ru.json()["title"] == "Доступ запрещён"
    assert ru.json()["detail"].startswith("Ключу с ролью bot нельзя вызывать POST /api/v1/staff;")
    assert ru.json()["allowed_roles"] == en.json()["allowed_roles"]


async def test_invalid_fields_are_named_in_russian(api: httpx.AsyncClient) -> None:
    en, ru = await _both(api, "POST", "/api/v1/customers", json={"name": "", "surprise": 1})
    assert en.status_code == 422
    assert en.json()["detail"] == "Fix these fields and send again: body.name, body.surprise."
    assert ru.json()["title"] == "Некорректные данные запроса"
    assert ru.json()["detail"] == (
        "Исправьте эти поля и отправьте запрос снова: body.name, body.surprise."
    )
    messages = {e["field"]: e["message"] for e in ru.json()["errors"]}
    assert messages == {
        "body.name": "Строка должна содержать не меньше 1 симв.",
        "body.surprise": "Лишние поля не допускаются",
    }


async def test_an_unknown_ticket_is_not_found_in_russian(api: httpx.AsyncClient) -> None:
    en, ru = await _both(api, "GET", f"/api/v1/tickets/{uuid.uuid4()}")
    assert en.status_code == 404
    assert en.json()["title"] in {"Not found", "Not Found"}
    assert ru.json()["title"] == "Не найдено"
    assert ru.json()["detail"].startswith("Нет заявки ")
    assert en.json()["detail"].startswith("No ticket ")


async def test_the_gateways_body_limit_speaks_russian(api: httpx.AsyncClient) -> None:
    big = b"x" * (1024 * 1024 + 1)
    en, ru = await _both(
        api, "POST", "/api/v1/tickets", content=big, headers={"content-type": "application/json"}
    )
    assert en.status_code == 413
    assert ru.json()["title"] == "Слишком большое тело запроса"
    assert ru.json()["detail"].startswith("В теле запроса 1,048,577 байт или больше")
