"""Staff sign-in through a real OIDC provider run by the test (HTTP on a free port).

The provider publishes its discovery document and signing key, redirects the
authorization request back with a code, and trades the code (with the client secret
and the PKCE verifier) for an ID token it signs with RS256 (authlib's jose).
"""

from __future__ import annotations

import base64
import hashlib
import threading
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from typing import Any
from urllib.parse import parse_qs, urlencode, urlsplit

import httpx
import pytest
import pytest_asyncio
import uvicorn
from asgi_lifespan import LifespanManager
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse

from gateway.app import create_app
from gateway.config import OidcSettings, Settings, WebSettings
from gateway.sessions import COOKIE
from gateway.web.oidc import JsonWebKey, jwt
from shared.infra.net import free_port
from shared.settings import DatabaseSettings
from shared.testing.auth import TEST_TOKEN

from .conftest import ADMIN

pytestmark = [pytest.mark.postgres, pytest.mark.asyncio(loop_scope="session")]

CLIENT_ID, SECRET = "desk", "s3cret"
STAFF: dict[str, dict[str, Any]] = {}


class Provider:
    """What the provider will say about the next sign-in (the test sets it)."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.key = JsonWebKey.generate_key("RSA", 2048, is_private=True, options={"kid": "k1"})
        self.email = ""
        self.verified = True
        self.codes: dict[str, dict[str, str]] = {}
        self.wrong_audience = False

    def app(self) -> FastAPI:
        app = FastAPI()

        @app.get("/.well-known/openid-configuration")
        async def discovery() -> dict[str, str]:
            return {
                "issuer": self.url,
                "authorization_endpoint": f"{self.url}/authorize",
                "token_endpoint": f"{self.url}/token",
                "jwks_uri": f"{self.url}/jwks",
            }

        @app.get("/jwks")
        async def jwks() -> dict[str, Any]:
            return {"keys": [self.key.as_dict(is_private=False)]}

        @app.get("/authorize")
        async def authorize(request: Request) -> RedirectResponse:
            q = request.query_params
            assert q["client_id"] == CLIENT_ID
            assert q["code_challenge_method"] == "S256"
            code = uuid.uuid4().hex
            self.codes[code] = {"nonce": q["nonce"], "challenge": q["code_challenge"]}
            back = urlencode({"code": code, "state": q["state"]})
            return RedirectResponse(f"{q['redirect_uri']}?{back}", status_code=302)

        @app.post("/token")
        async def token(request: Request) -> JSONResponse:
            form = {k: v[0] for k, v in parse_qs((await request.body()).decode()).items()}
            code, client_secret = form.get("code", ""), form.get("client_secret")
            code_verifier = form.get("code_verifier", "")
            issued = self.codes.pop(code, None)
            digest = hashlib.sha256(code_verifier.encode()).digest()
            challenge = base64.urlsafe_b64encode(digest).rstrip(b"=").decode()
            if issued is None or client_secret != SECRET or challenge != issued["challenge"]:
                return JSONResponse({"error": "invalid_grant"}, status_code=400)
            now = int(time.time())
            claims = {
                "iss": self.url,
                "aud": "someone-else" if self.wrong_audience else CLIENT_ID,
                "sub": uuid.uuid4().hex,
                "iat": now,
                "exp": now + 300,
                "nonce": issued["nonce"],
                "email": self.email,
                "email_verified": self.verified,
            }
            signed = jwt.encode({"alg": "RS256", "kid": "k1"}, claims, self.key)
            return JSONResponse({"id_token": signed.decode(), "token_type": "Bearer"})

        return app


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    port = free_port()
    found = Provider(f"http://127.0.0.1:{port}")
    server = uvicorn.Server(
        uvicorn.Config(found.app(), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    yield found
    server.should_exit = True
    thread.join(5)


def _escalation(request: httpx.Request) -> httpx.Response:
    if request.url.path == "/api/v1/staff":
        return httpx.Response(200, json=[m for m in STAFF.values() if m["active"]])
    member = STAFF.get(request.url.path.rsplit("/", 1)[1])
    return httpx.Response(200, json=member) if member else httpx.Response(404, json={})


@pytest_asyncio.fixture(loop_scope="session", scope="module")
async def app(database_url: str, provider: Provider) -> AsyncIterator[FastAPI]:
    settings = Settings(
        database=DatabaseSettings(url=database_url),
        admin_api_key=ADMIN,
        internal_token=TEST_TOKEN,
        public_base_url="http://desk.example",
        web=WebSettings(access_cache_seconds=0),
        oidc=OidcSettings(issuer=provider.url, client_id=CLIENT_ID, client_secret=SECRET),
        log_json=False,
    )
    application = create_app(settings, upstream_transport=httpx.MockTransport(_escalation))
    async with LifespanManager(application):
        yield application


def _member(email: str, role: str = "manager") -> dict[str, Any]:
    staff_id = str(uuid.uuid4())
    STAFF[staff_id] = {
        "id": staff_id, "name": "Olga", "email": email, "role": role, "active": True,
        "admin": False, "language": "en", "line": 1,
    }  # fmt: skip
    return STAFF[staff_id]


async def _through_the_provider(app: FastAPI) -> httpx.Response:
    """Start at /desk/signin/oidc, let the provider redirect back, answer the callback."""
    async with httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app),
        base_url="http://desk.example",
        headers={"accept-language": "en"},
    ) as web:
        start = await web.get("/desk/signin/oidc")
        assert start.status_code == 303, start.text
        async with httpx.AsyncClient() as browser:
            back = await browser.get(start.headers["location"])
        assert back.status_code == 302, back.text
        callback = urlsplit(back.headers["location"])
        assert callback.netloc == "desk.example"
        answer = await web.get(f"{callback.path}?{callback.query}")
        if answer.status_code == 303:
            answer.extensions["session"] = (await web.get("/api/v1/session")).json()
        answer.extensions["state"] = parse_qs(callback.query)["state"][0]
        return answer


class TestOidcSignIn:
    async def test_the_verified_email_of_an_active_staff_member_signs_in(
        self, app: FastAPI, provider: Provider
    ) -> None:
        member = _member(f"olga-{uuid.uuid4().hex[:6]}@vendor.example")
        provider.email, provider.verified, provider.wrong_audience = member["email"], True, False

        answer = await _through_the_provider(app)

        assert (answer.status_code, answer.headers["location"]) == (303, "/desk")
        assert COOKIE in answer.headers["set-cookie"]
        session = answer.extensions["session"]
        assert (session["kind"], session["role"], session["name"]) == ("staff", "manager", "Olga")

    @pytest.mark.parametrize("case", ["unknown", "unverified", "wrong_audience"])
    async def test_anything_else_is_refused(
        self, app: FastAPI, provider: Provider, case: str
    ) -> None:
        member = _member(f"olga-{uuid.uuid4().hex[:6]}@vendor.example")
        provider.email = "stranger@else.example" if case == "unknown" else member["email"]
        provider.verified = case != "unverified"
        provider.wrong_audience = case == "wrong_audience"

        answer = await _through_the_provider(app)

        assert answer.status_code == 401
        assert COOKIE not in answer.headers.get("set-cookie", "")
        assert "could not sign you in" in answer.text

    async def test_a_state_is_used_once(self, app: FastAPI, provider: Provider) -> None:
        member = _member(f"olga-{uuid.uuid4().hex[:6]}@vendor.example")
        provider.email, provider.verified, provider.wrong_audience = member["email"], True, False
        answer = await _through_the_provider(app)

        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://desk.example"
        ) as web:
            replay = await web.get(
                f"/desk/signin/oidc/callback?code=x&state={answer.extensions['state']}"
            )

        assert replay.status_code == 401
