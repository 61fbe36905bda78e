"""The gateway's own problems in the caller's language, and Accept-Language passed on."""

from __future__ import annotations

import uuid

import httpx
import pytest

from .conftest import auth, new_key, seen

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]

RU = {"Accept-Language": "ru"}


async def test_a_spent_rate_limit_is_explained_in_russian(gateway: httpx.AsyncClient) -> None:
    bot, _ = await new_key(gateway, "bot", uuid.uuid4())  # burst 3 in the fixture's settings
    answers = [await gateway.get("/api/v1/tickets", headers={**auth(bot), **RU}) for _ in range(4)]

    refused = answers[-1]
    assert refused.status_code == 429
    assert refused.headers["content-language"] == "ru"
    assert refused.headers["retry-after"]  # the headers survive the translation
    assert refused.headers["ratelimit-limit"] == "3"
    body = refused.json()
    assert body["type"] == "/problems/rate-limited"
    assert body["title"] == "Слишком много запросов"
    assert body["detail"].startswith("Этот ключ может отправить не больше 3 запросов сразу")
    assert int(refused.headers["content-length"]) == len(refused.content)


async def test_key_problems_and_unknown_routes_in_both_languages(
    gateway: httpx.AsyncClient,
) -> None:
    wrong = {"Authorization": "Bearer sd_nobody"}
    en = await gateway.get("/api/v1/tickets", headers=wrong)
    ru = await gateway.get("/api/v1/tickets", headers={**wrong, **RU})
    nowhere = await gateway.get("/api/v1/nowhere-at-all", headers={**auth(), **RU})

    assert en.status_code == ru.status_code == 401
    assert en.json()["type"] == ru.json()["type"] == "/problems/invalid-api-key"
    assert en.json()["title"] == "Unauthorized"
    assert ru.json()["title"] == "Нужна аутентификация"
    assert ru.json()["detail"].startswith("API-ключ неизвестен, отозван")
    assert nowhere.status_code == 404
    assert nowhere.json()["detail"] == (
        "Нет API по адресу /api/v1/nowhere-at-all; маршруты перечислены в /docs."
    )


async def test_the_callers_language_reaches_the_service(gateway: httpx.AsyncClient) -> None:
    seen.clear()
    r = await gateway.get("/api/v1/tickets", headers={**auth(), "Accept-Language": "ru-RU"})

    assert r.status_code == 201
    assert seen[-1].headers["accept-language"] == "ru-RU"
    # A success is never touched, whatever the language.
    assert "content-language" not in r.headers
