"""Staff sign-in through an OpenID Connect provider (Keycloak, Azure AD ...), when configured.

The authorization code flow with PKCE: ``/desk/signin/oidc`` stores a one-time
``state`` (its digest, 10 minutes) with the nonce and the PKCE verifier, and sends the
browser to the provider; ``/desk/signin/oidc/callback`` uses the state once, trades
the code for tokens at the provider's token endpoint (timeout, client secret), and
verifies the ID token with authlib: its signature against the provider's published
keys (``jwks_uri``), issuer, audience (our client id), expiry and nonce. The verified
``email`` claim (``email_verified`` must not be false) names the staff member: an
active staff record with that address gets a session with its role, as a password
sign-in would. Anything else shows the sign-in page with the same refusal.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import warnings
from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

import httpx
from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from gateway.adapters.directory import Directory
from gateway.adapters.sessions import TokenStore
from gateway.config import Settings
from gateway.sessions import Purpose, normalise_email
from gateway.web.deps import PageError
from gateway.web.pages import render
from gateway.web.signin import staff_session
from shared.logging import get_logger

with warnings.catch_warnings():
    # authlib 1.9 points to its successor joserfc; its jose still verifies ID tokens, and
    # one library for the whole flow (the issue names authlib) is the smaller dependency.
    # (authlib.deprecate's import puts an "always" filter first: imported before ours.)
    from authlib.deprecate import AuthlibDeprecationWarning

    warnings.simplefilter("ignore", AuthlibDeprecationWarning)
    from authlib.jose import JsonWebKey, jwt
    from authlib.jose.errors import JoseError

log = get_logger(__name__)
STATE_LIFETIME = timedelta(minutes=10)
TIMEOUT = httpx.Timeout(10.0)


def _challenge(verifier: str) -> str:
    digest = hashlib.sha256(verifier.encode()).digest()
    return base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


class OidcError(Exception):
    """The provider's answer cannot sign anyone in (logged; the person sees a refusal)."""


class Provider:
    """One OIDC provider: its discovery document and keys (fetched once, then kept)."""

    def __init__(self, settings: Settings, client: httpx.AsyncClient) -> None:
        self.settings = settings
        self.client = client
        self._document: dict[str, Any] | None = None

    @property
    def redirect_uri(self) -> str:
        return f"{self.settings.base_url}/desk/signin/oidc/callback"

    async def document(self) -> dict[str, Any]:
        if self._document is None:
            issuer = self.settings.oidc.issuer.rstrip("/")
            r = await self.client.get(f"{issuer}/.well-known/openid-configuration")
            r.raise_for_status()
            self._document = r.json()
        return self._document

    async def authorize_url(self, *, state: str, nonce: str, verifier: str) -> str:
        doc = await self.document()
        query = {
            "response_type": "code",
            "client_id": self.settings.oidc.client_id,
            "redirect_uri": self.redirect_uri,
            "scope": "openid email profile",
            "state": state,
            "nonce": nonce,
            "code_challenge": _challenge(verifier),
            "code_challenge_method": "S256",
        }
        return f"{doc['authorization_endpoint']}?{urlencode(query)}"

    async def email(self, *, code: str, nonce: str, verifier: str) -> str:
        """The verified email of the ID token the code is traded for."""
        doc = await self.document()
        oidc = self.settings.oidc
        r = await self.client.post(
            doc["token_endpoint"],
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": self.redirect_uri,
                "client_id": oidc.client_id,
                "client_secret": oidc.client_secret,
                "code_verifier": verifier,
            },
        )
        if r.status_code != 200 or "id_token" not in r.json():
            raise OidcError(f"token endpoint answered {r.status_code}")
        keys = JsonWebKey.import_key_set((await self.client.get(doc["jwks_uri"])).json())
        try:
            claims = jwt.decode(
                r.json()["id_token"],
                keys,
                claims_options={
                    "iss": {"essential": True, "value": doc["issuer"]},
                    "aud": {"essential": True, "value": oidc.client_id},
                    "nonce": {"essential": True, "value": nonce},
                    "exp": {"essential": True},
                },
            )
            claims.validate(leeway=60)
        except (JoseError, ValueError) as exc:
            raise OidcError(f"ID token refused: {exc}") from exc
        email = claims.get("email")
        if not email or claims.get("email_verified") is False:
            raise OidcError("the ID token has no verified email")
        return normalise_email(str(email))


def provider_of(settings: Settings) -> Provider | None:
    """The configured provider (its own HTTP client: the app closes it), or None."""
    if not settings.oidc.enabled:
        return None
    return Provider(settings, httpx.AsyncClient(timeout=TIMEOUT))


def _provider(request: Request) -> Provider:
    provider: Provider | None = request.app.state.oidc
    if provider is None:  # not configured: there is no such page
        raise PageError(404)
    return provider


def _refused(request: Request) -> Response:
    context = {"email": "", "message": None, "error": "oidc_refused", "oidc": True, "next": "/desk"}
    return render(request, "desk_signin.html", context, status=401)


def router() -> APIRouter:
    """``/desk/signin/oidc`` and its callback (404 unless OIDC is configured)."""
    pages = APIRouter(include_in_schema=False)

    @pages.get("/desk/signin/oidc")
    async def oidc_start(request: Request) -> Response:
        provider = _provider(request)
        state, nonce, verifier = (secrets.token_urlsafe(32) for _ in range(3))
        tokens: TokenStore = request.app.state.one_time_tokens
        await tokens.issue(
            token=state,
            purpose=Purpose.oidc,
            subject=json.dumps({"nonce": nonce, "verifier": verifier}),
            email="",
            valid_for=STATE_LIFETIME,
        )
        return RedirectResponse(
            await provider.authorize_url(state=state, nonce=nonce, verifier=verifier),
            status_code=303,
        )

    @pages.get("/desk/signin/oidc/callback")
    async def oidc_callback(request: Request) -> Response:
        provider = _provider(request)
        state = request.query_params.get("state", "")[:200]
        code = request.query_params.get("code", "")[:2000]
        tokens: TokenStore = request.app.state.one_time_tokens
        used = await tokens.consume(Purpose.oidc, state) if state and code else None
        if used is None:
            return _refused(request)
        stored = json.loads(used[0])
        try:
            email = await provider.email(
                code=code, nonce=stored["nonce"], verifier=stored["verifier"]
            )
        except (OidcError, httpx.HTTPError) as exc:
            log.warning("OIDC sign-in refused", error=repr(exc))
            return _refused(request)
        directory: Directory = request.app.state.directory
        member = await directory.staff_by_email(email)
        signed_in = await staff_session(request, member.id, "/desk") if member else None
        return signed_in or _refused(request)

    return pages
