"""Turning a bearer token into a Principal: signature, issuer, client, use, expiry, login."""

from __future__ import annotations

from typing import Any

from chalicelib.adapters import cognito
from chalicelib.config import settings
from chalicelib.domain.principal import Principal
from chalicelib.observability import logger
from chalicelib.store.customers import get_login


def verify_access_token(token: str) -> dict[str, Any] | None:
    """Claims of a valid Cognito access token for this pool and app client, else None."""
    cfg = settings()
    if token.lower().startswith("bearer "):
        token = token[7:].strip()
    if not token or not cfg.cognito_user_pool_id:
        return None
    try:
        claims = cognito.verify_rs256(token, cfg.jwks_url, cfg.cognito_issuer)
    except (cognito.TokenRefused, OSError, ValueError) as exc:
        logger.info("token rejected", extra={"reason": type(exc).__name__, "error": str(exc)})
        return None
    # Access tokens carry client_id instead of aud.
    if claims.get("token_use") != "access" or claims.get("client_id") != cfg.cognito_client_id:
        return None
    return claims


def principal_from_token(token: str) -> Principal | None:
    claims = verify_access_token(token)
    if claims is None:
        return None
    username = str(claims.get("username") or "")
    login = get_login(username) if username else None
    if login is None or not login.enabled:
        return None
    if login.tokens_valid_after and int(claims.get("iat", 0)) < int(login.tokens_valid_after):
        return None
    if login.revoked_sessions and session_of(claims) in login.revoked_sessions:
        return None  # logged out (services.auth.logout)
    return Principal(
        username=username,
        role=login.role,
        customer_nos=tuple(str(c) for c in (login.customer_nos or [])),
        manager_id=login.manager_id,
    )


def session_of(claims: dict[str, Any]) -> str:
    """The Cognito session a token belongs to: ``origin_jti`` (shared by the tokens of one
    sign-in, refreshed ones included), else the token's own ``jti``."""
    return str(claims.get("origin_jti") or claims.get("jti") or "")
