"""Problems in English or Russian by Accept-Language: negotiation, titles, detail templates."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI, Request
from pydantic import BaseModel, Field

from shared.auth import Role, check_role
from shared.errors import Conflict, NotFound
from shared.web.i18n import DETAILS, TITLES, Template, localize, negotiate
from shared.web.problems import install_problem_handlers

ROOT = Path(__file__).resolve().parents[3]
SOURCES = ["shared/src", "gateway/src", "services/*/src"]


@pytest.mark.parametrize(
    ("header", "language"),
    [
        (None, "en"),
        ("", "en"),
        ("ru", "ru"),
        ("ru-RU,ru;q=0.9,en;q=0.8", "ru"),
        ("en, ru", "en"),
        ("de-DE, ru;q=0.5", "ru"),
        ("ru;q=0.2, en;q=0.8", "en"),
        ("ru;q=0, en", "en"),
        ("*", "en"),
        ("fr", "en"),
        ("ru;q=abc", "en"),
    ],
)
def test_the_callers_preferred_language_wins_and_english_is_the_default(
    header: str | None, language: str
) -> None:
    assert negotiate(header) == language


def _literal_titles(tree: ast.AST) -> Iterator[object]:
    """``title="..."`` arguments, ``title = "..."`` and ``status, slug, title = ...`` values."""
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg == "title":
            yield getattr(node.value, "value", None)
        elif isinstance(node, ast.Assign):
            target, value = node.targets[0], node.value
            if getattr(target, "id", "") == "title":
                yield getattr(value, "value", None)
            elif isinstance(target, ast.Tuple) and isinstance(value, ast.Tuple):
                names = [getattr(t, "id", "") for t in target.elts]
                if "title" in names:
                    yield getattr(value.elts[names.index("title")], "value", None)


def _titles_in_code() -> set[str]:
    """Every literal title in the platform's sources."""
    found: set[str] = set()
    for pattern in SOURCES:
        for folder in ROOT.glob(pattern):
            for path in folder.rglob("*.py"):
                tree = ast.parse(path.read_text(encoding="utf-8"))
                found |= {t for t in _literal_titles(tree) if isinstance(t, str)}
    # App and page titles are not problem titles.
    return {t for t in found if t[:1].isupper() and t not in _NOT_PROBLEMS}


_NOT_PROBLEMS = {"Support desk API", "Problem", "ProblemField"}


def test_every_title_in_the_code_has_a_russian_one() -> None:
    titles = _titles_in_code()
    assert "Not found" in titles  # the scan sees them
    assert "Too many requests" in titles
    missing = sorted(t for t in titles if t not in TITLES)
    assert not missing, f"add these titles to shared.web.i18n.TITLES: {missing}"


def test_a_catalogued_detail_keeps_its_values_in_russian() -> None:
    body = {
        "type": "/problems/role-not-allowed",
        "title": "Forbidden",
        "status": 403,
        "detail": "A bot key may not call POST /api/v1/staff; it needs one of: admin, manager.",
        "allowed_roles": ["admin", "manager"],
    }
    ru = localize(body, "ru")
    assert ru["title"] == "Доступ запрещён"
    assert ru["detail"] == (
        "Ключу с ролью bot нельзя вызывать POST /api/v1/staff; нужна одна из ролей: admin, manager."
    )
    assert ru["type"] == body["type"]
    assert ru["allowed_roles"] == body["allowed_roles"]
    assert localize(body, "en") == body


def test_a_free_sentence_stays_english_under_a_russian_title() -> None:
    body = {"type": "/problems/unchanged", "title": "Conflict", "status": 409, "detail": "Odd."}
    assert localize(body, "ru") == {**body, "title": "Конфликт"}


def test_every_template_is_well_formed() -> None:
    for slug, templates in DETAILS.items():
        for template in templates:
            assert isinstance(template, Template)
            # The Russian sentence uses only values the English one carries.
            assert template.render(template.en) is not None, (slug, template.en)


class Body(BaseModel):
    name: str = Field(min_length=1)
    count: int = Field(ge=1)


def _app() -> FastAPI:
    app = FastAPI()
    install_problem_handlers(app)

    @app.post("/things")
    async def create(body: Body) -> dict[str, str]:
        return {"name": body.name}

    @app.get("/things/{thing_id}")
    async def read(thing_id: str, request: Request) -> None:
        if thing_id == "busy":
            raise Conflict("Free sentence from deep inside a service.", slug="busy")
        if thing_id == "staff":
            check_role(Role.bot, frozenset({Role.admin}), request)
        raise NotFound("No thing with that id is visible to this key.")

    return app


@pytest.mark.asyncio(loop_scope="session")
async def test_an_app_answers_problems_in_the_language_asked_for() -> None:
    transport = httpx.ASGITransport(app=_app())
    async with httpx.AsyncClient(transport=transport, base_url="http://app") as client:
        en = await client.post("/things", json={"name": "", "count": 0})
        ru = await client.post(
            "/things", json={"name": "", "count": 0}, headers={"Accept-Language": "ru"}
        )
        gone = await client.get("/things/x", headers={"Accept-Language": "ru-RU,ru;q=0.9"})
        busy = await client.get("/things/busy", headers={"Accept-Language": "ru"})
        role = await client.get("/things/staff", headers={"Accept-Language": "ru"})
        route = await client.get("/nowhere", headers={"Accept-Language": "ru"})

    assert en.status_code == ru.status_code == 422
    assert en.json()["title"] == "Invalid request"
    assert en.json()["detail"] == "Fix these fields and send again: body.name, body.count."
    assert "content-language" not in en.headers
    assert ru.headers["content-type"].startswith("application/problem+json")
    assert ru.headers["content-language"] == "ru"
    assert ru.json()["type"] == "/problems/validation-error"
    assert en.json()["type"] == "/problems/validation-error"
    assert ru.json()["title"] == "Некорректные данные запроса"
    assert ru.json()["detail"] == (
        "Исправьте эти поля и отправьте запрос снова: body.name, body.count."
    )
    assert [e["field"] for e in ru.json()["errors"]] == ["body.name", "body.count"]
    assert ru.json()["errors"][0]["message"] == "Строка должна содержать не меньше 1 симв."
    assert ru.json()["errors"][1]["message"] == "Значение должно быть не меньше 1"
    assert gone.status_code == 404
    assert gone.json()["title"] == "Не найдено"
    assert gone.json()["detail"].startswith("Объект (thing) с таким id не виден этому ключу")
    assert busy.json()["title"] == "Конфликт"
    assert busy.json()["detail"] == "Free sentence from deep inside a service."
    assert busy.json()["type"] == "/problems/busy"
    assert role.status_code == 403
    assert role.json()["detail"] == (
        "Ключу с ролью bot нельзя вызывать GET /things/staff; нужна одна из ролей: admin."
    )
    assert route.json()["detail"] == "Нет маршрута GET /nowhere; описание API — в /docs."
