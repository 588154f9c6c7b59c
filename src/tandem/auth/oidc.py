"""Single sign-on with OpenID Connect: the authorization code flow with PKCE, for staff.

Tandem is the relying party. It sends the browser to the provider with a fresh ``state``,
``nonce`` and PKCE challenge (kept in a short-lived signed cookie, nothing stored), takes the
code back, exchanges it at the token endpoint with the client secret, and checks the ID token:
signature against the provider's published keys (joserfc), issuer, audience, expiry and nonce.
The verified e-mail address then names an existing, active Tandem user: an identity provider
vouches for who someone is, while what they may do stays with Tandem's admins.
"""

from __future__ import annotations

import base64
import hashlib
import json
import secrets
import time
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlencode

import httpx
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jwt import JWTClaimsRegistry

from tandem.core.errors import AuthenticationError, ServiceUnavailableError
from tandem.core.security import sign, signature_matches

TIMEOUT_SECONDS = 10.0
FLOW_SECONDS = 10 * 60  # from leaving for the provider to coming back
_DISCOVERY_TTL = 3600.0
_ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA")
_PURPOSE = "oidc-flow"
_START_AGAIN = (
    "The single sign-on took too long or was interrupted; start again from the login page."
)


@dataclass(frozen=True, slots=True)
class ClientConfig:
    issuer: str
    client_id: str
    client_secret: str
    redirect_uri: str


@dataclass(frozen=True, slots=True)
class ProviderInfo:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str


@dataclass(frozen=True, slots=True)
class Flow:
    """What the browser carries (signed) between leaving and coming back."""

    state: str
    nonce: str
    verifier: str
    next: str
    expires: int


@dataclass(frozen=True, slots=True)
class Identity:
    email: str
    subject: str
    name: str | None


_providers: dict[str, tuple[float, ProviderInfo]] = {}
_keys: dict[str, KeySet] = {}


async def provider(config: ClientConfig) -> ProviderInfo:
    """The provider's endpoints from its discovery document (cached for an hour)."""
    cached = _providers.get(config.issuer)
    if cached is not None and time.monotonic() - cached[0] < _DISCOVERY_TTL:
        return cached[1]
    url = config.issuer.rstrip("/") + "/.well-known/openid-configuration"
    document = await _get_json(url)
    try:
        info = ProviderInfo(
            issuer=str(document["issuer"]),
            authorization_endpoint=str(document["authorization_endpoint"]),
            token_endpoint=str(document["token_endpoint"]),
            jwks_uri=str(document["jwks_uri"]),
        )
    except KeyError as missing:
        raise ServiceUnavailableError(
            f"The identity provider's discovery document at {url} lacks {missing}."
        ) from None
    if info.issuer.rstrip("/") != config.issuer.rstrip("/"):
        raise ServiceUnavailableError(
            f"The identity provider says its issuer is {info.issuer}, not {config.issuer} "
            "(TANDEM_OIDC_ISSUER must be exactly the provider's issuer)."
        )
    _providers[config.issuer] = (time.monotonic(), info)
    return info


def start(info: ProviderInfo, config: ClientConfig, *, next_path: str) -> tuple[str, Flow]:
    """The URL that sends the browser to the provider, and the flow to keep until it is back."""
    flow = Flow(
        state=secrets.token_urlsafe(24),
        nonce=secrets.token_urlsafe(24),
        verifier=secrets.token_urlsafe(48),
        next=next_path,
        expires=int(time.time()) + FLOW_SECONDS,
    )
    challenge = base64.urlsafe_b64encode(hashlib.sha256(flow.verifier.encode()).digest())
    query = {
        "response_type": "code",
        "client_id": config.client_id,
        "redirect_uri": config.redirect_uri,
        "scope": "openid email profile",
        "state": flow.state,
        "nonce": flow.nonce,
        "code_challenge": challenge.decode().rstrip("="),
        "code_challenge_method": "S256",
    }
    return f"{info.authorization_endpoint}?{urlencode(query)}", flow


def seal(flow: Flow, *, secret_key: str) -> str:
    """The flow as a cookie value, signed so the browser cannot change it."""
    text = base64.urlsafe_b64encode(json.dumps(asdict(flow)).encode()).decode()
    return f"{text}.{sign(secret_key, f'{_PURPOSE}:{text}')}"


def unseal(value: str | None, *, secret_key: str) -> Flow:
    """The flow from the cookie; refuse one changed, missing or too old."""
    text, _, signature = (value or "").rpartition(".")
    if not text or not signature_matches(secret_key, f"{_PURPOSE}:{text}", signature):
        raise AuthenticationError(_START_AGAIN)
    try:
        data = json.loads(base64.urlsafe_b64decode(text.encode()))
        flow = Flow(**data)
    except (ValueError, TypeError):
        raise AuthenticationError(_START_AGAIN) from None
    if flow.expires < time.time():
        raise AuthenticationError(_START_AGAIN)
    return flow


async def finish(
    info: ProviderInfo, config: ClientConfig, flow: Flow, *, code: str, state: str
) -> Identity:
    """Exchange the code and check the ID token; return the verified identity."""
    if not secrets.compare_digest(state, flow.state):
        raise AuthenticationError(_START_AGAIN)
    tokens = await _post_form(
        info.token_endpoint,
        {
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": config.redirect_uri,
            "code_verifier": flow.verifier,
        },
        auth=(config.client_id, config.client_secret),
    )
    id_token = tokens.get("id_token")
    if not isinstance(id_token, str):
        raise AuthenticationError("The identity provider sent no ID token.")
    claims = await _verified_claims(info, config, id_token, nonce=flow.nonce)
    email = claims.get("email")
    if not isinstance(email, str) or not email:
        raise AuthenticationError(
            "The identity provider did not share an e-mail address; allow the `email` scope "
            "for Tandem's client."
        )
    if claims.get("email_verified") is not True:
        raise AuthenticationError(
            f"The identity provider has not verified {email}; Tandem only accepts verified "
            "addresses."
        )
    name = claims.get("name")
    return Identity(
        email=email.lower(),
        subject=str(claims["sub"]),
        name=name if isinstance(name, str) else None,
    )


async def _verified_claims(
    info: ProviderInfo, config: ClientConfig, id_token: str, *, nonce: str
) -> dict[str, Any]:
    keys = await _key_set(info, refresh=False)
    try:
        try:
            token = jwt.decode(id_token, keys, algorithms=list(_ALGORITHMS))
        except JoseError:  # keys rotated since they were fetched: fetch them once more
            token = jwt.decode(
                id_token, await _key_set(info, refresh=True), algorithms=list(_ALGORITHMS)
            )
        registry = JWTClaimsRegistry(
            leeway=60,
            iss={"essential": True, "value": info.issuer},
            aud={"essential": True, "value": config.client_id},
            sub={"essential": True},
            exp={"essential": True},
            nonce={"essential": True, "value": nonce},
        )
        registry.validate(token.claims)
    except JoseError as error:
        raise AuthenticationError(f"The ID token did not check out ({error.error}).") from error
    claims = dict(token.claims)
    audience = claims.get("aud")
    if isinstance(audience, list) and len(audience) > 1 and claims.get("azp") != config.client_id:
        raise AuthenticationError("The ID token was issued to another client (azp).")
    return claims


async def _key_set(info: ProviderInfo, *, refresh: bool) -> KeySet:
    if refresh or info.jwks_uri not in _keys:
        _keys[info.jwks_uri] = KeySet.import_key_set(await _get_json(info.jwks_uri))  # type: ignore[arg-type]
    return _keys[info.jwks_uri]


async def _get_json(url: str) -> dict[str, Any]:
    try:
        async with httpx.AsyncClient(timeout=TIMEOUT_SECONDS) as client:
            response = await client.get(url, headers={"Accept": "application/json"})
        response.raise_for_status()
        data = response.json()
    except (httpx.HTTPError, ValueError) as error:
        raise ServiceUnavailableError(
            f"The identity provider could not be reached at {url} ({error}); try again, or log "
            "in with your password."
        ) from error
    if not isinstance(data, dict):
        raise ServiceUnavailableError(f"The identity provider's answer at {url} is not an object.")
    return data


async def _post_form(url: str, form: dict[str, str], *, auth: tuple[str, str]) -> dict[str, Any]:
    try:
        async with httpx.AsyncClient(timeout=TIMEOUT_SECONDS) as client:
            response = await client.post(
                url, data=form, auth=auth, headers={"Accept": "application/json"}
            )
        data = response.json()
    except (httpx.HTTPError, ValueError) as error:
        raise ServiceUnavailableError(
            f"The identity provider's token endpoint could not be reached ({error})."
        ) from error
    if response.status_code != 200 or not isinstance(data, dict):
        detail = (
            data.get("error_description") or data.get("error") if isinstance(data, dict) else ""
        )
        raise AuthenticationError(f"The identity provider refused the login ({detail}).")
    return data
