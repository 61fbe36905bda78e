"""A contact's language: stored, changeable, validated, and carried on contact.changed."""

from __future__ import annotations

from typing import Any

import pytest

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]


async def test_language_defaults_to_russian_and_travels_on_contact_changed(ent: Any) -> None:
    customer = await ent.customer()
    plain = await ent.contact(customer["id"])
    english = await ent.contact(customer["id"], language="en")
    assert (plain["language"], english["language"]) == ("ru", "en")

    r = await ent.http.patch(
        f"/api/v1/customers/{customer['id']}/contacts/{plain['id']}", json={"language": "en"}
    )
    assert r.status_code == 200, r.text
    assert r.json()["language"] == "en"

    changes = await ent.events("contact.changed", customer["id"])
    languages = [(c["contact"]["id"], c["contact"]["language"]) for c in changes]
    assert languages[-1] == (plain["id"], "en")
    assert (english["id"], "en") in languages


@pytest.mark.parametrize("value", ["de", None, ""])
async def test_unknown_language_is_a_422_naming_the_field(ent: Any, value: Any) -> None:
    customer = await ent.customer()
    r = await ent.http.post(
        f"/api/v1/customers/{customer['id']}/contacts",
        json={"name": "X", "email": "x-lang@example.com", "language": value},
    )
    assert r.status_code == 422
    assert "body.language" in [e["field"] for e in r.json()["errors"]]
