"""Cognito: the signing keys (JWKS) and the user-pool calls the services need."""

from __future__ import annotations

import json
import time
from functools import lru_cache
from typing import Any

from chalicelib.adapters.aws import client

_JWKS_CACHE: dict[str, tuple[float, dict[str, Any]]] = {}
_JWKS_TTL_S = 3600


def jwks(url: str, kid: str = "") -> dict[str, Any]:
    """The pool's public keys. From configuration (``COGNITO_JWKS``: the pool's JWKS
    document, set by the deployment and the local stack) when it holds the token's key
    ``kid``: a cold start makes no HTTP request for them. Otherwise (not configured, or a key
    it does not know) fetched from ``url``, cached per container for an hour; the URL may be
    https (AWS), http (moto server) or file (moto's bundled keys in in-process tests)."""
    configured = _configured(_configured_text())
    if configured is not None and (
        not kid or any(k.get("kid") == kid for k in configured.get("keys", []))
    ):
        return configured
    cached = _JWKS_CACHE.get(url)
    if cached and time.monotonic() - cached[0] < _JWKS_TTL_S:
        return cached[1]
    import urllib.request

    with urllib.request.urlopen(url, timeout=5) as resp:  # noqa: S310 - configured URL
        keys = json.loads(resp.read())
    _JWKS_CACHE[url] = (time.monotonic(), keys)
    return keys


def _configured_text() -> str:
    from chalicelib.config import settings

    return settings().cognito_jwks


@lru_cache(maxsize=4)
def _configured(text: str) -> dict[str, Any] | None:
    """``COGNITO_JWKS`` parsed once; None when unset or not a JWKS (then the keys are
    fetched: a misconfiguration costs a request, never a refused or accepted token)."""
    if not text:
        return None
    try:
        doc = json.loads(text)
    except ValueError:
        doc = None
    if not isinstance(doc, dict) or not isinstance(doc.get("keys"), list):
        from chalicelib.observability import logger

        logger.error("COGNITO_JWKS is not a JWKS document; fetching the keys instead")
        return None
    return doc


class TokenRefused(Exception):
    """A token that is not a valid RS256 JWT of this issuer (the reason is for the log)."""


def verify_rs256(token: str, url: str, issuer: str) -> dict[str, Any]:
    """The claims of a compact JWS signed RS256 by one of the pool's keys, or TokenRefused.

    The signature is checked by ``cryptography`` (RSASSA-PKCS1-v1_5 with SHA-256, the one
    algorithm Cognito signs with); this function only frames it, as RFC 7515/7519 do and
    exactly as PyJWT's ``jwt.decode(algorithms=["RS256"], issuer=..., require exp/iss/
    token_use)`` accepts (``tests/unit/test_cognito_tokens.py`` holds it to PyJWT's answers):
    three base64url segments, a JSON header with ``alg`` RS256 only (never ``none``, never
    an HMAC with the public key), a ``kid`` the pool knows (configured or fetched) and no
    ``crit``; then the claims: ``exp`` (required, a number, not past), ``nbf`` and ``iat``
    (numbers, not in the future), ``iss`` (required, this pool), ``token_use`` (required).
    PyJWT is not used here because its import takes ``cryptography.x509``, the SSH
    serialization and every other algorithm (~90 ms of CPU alone, ~30 ms in the authorizer's
    cold start beside botocore); RSA verification alone imports a tenth of that. Time is the
    real clock: Cognito stamps tokens with it."""
    parts = token.split(".")
    if len(parts) != 3:
        raise TokenRefused("segments")
    header = _json_segment(parts[0], "header")
    if header.get("alg") != "RS256":
        raise TokenRefused("alg")
    kid = header.get("kid")
    if not isinstance(kid, str) or "crit" in header:
        raise TokenRefused("header")
    key = next((k for k in jwks(url, kid).get("keys", []) if k.get("kid") == kid), None)
    if key is None or key.get("kty") != "RSA" or key.get("alg", "RS256") != "RS256":
        raise TokenRefused("kid")
    signature = _segment(parts[2], "signature")
    _check_signature(key, f"{parts[0]}.{parts[1]}".encode("ascii"), signature)
    claims = _json_segment(parts[1], "payload")
    _check_claims(claims, issuer)
    if not isinstance(claims.get("sub", ""), str) or not isinstance(claims.get("jti", ""), str):
        raise TokenRefused("sub/jti")
    return claims


def verified_claims(token: str) -> dict[str, Any]:
    """The claims of a token ``verify_rs256`` has already accepted (the authorizer did, for
    this request), read again without a second check; TokenRefused if it is not a JWS."""
    if token.lower().startswith("bearer "):
        token = token[7:].strip()
    parts = token.split(".")
    if len(parts) != 3:
        raise TokenRefused("segments")
    return _json_segment(parts[1], "payload")


_B64URL = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def _segment(text: str, what: str) -> bytes:
    """A base64url segment without padding (RFC 7515 section 2), decoded."""
    import base64

    if not text or not set(text) <= _B64URL or len(text) % 4 == 1:
        raise TokenRefused(what)
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _json_segment(text: str, what: str) -> dict[str, Any]:
    try:
        value = json.loads(_segment(text, what))
    except (ValueError, UnicodeDecodeError):
        raise TokenRefused(what) from None
    if not isinstance(value, dict):
        raise TokenRefused(what)
    return value


def _int_of(value: str) -> int:
    import base64

    raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
    return int.from_bytes(raw, "big")


def _check_signature(key: dict[str, Any], signed: bytes, signature: bytes) -> None:
    from cryptography.exceptions import InvalidSignature
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.asymmetric import padding, rsa

    try:
        public = rsa.RSAPublicNumbers(_int_of(key["e"]), _int_of(key["n"])).public_key()
        public.verify(signature, signed, padding.PKCS1v15(), hashes.SHA256())
    except InvalidSignature:
        raise TokenRefused("signature") from None
    except (KeyError, TypeError, ValueError):
        raise TokenRefused("key") from None


def _whole(claims: dict[str, Any], name: str) -> int:
    """A NumericDate claim as PyJWT reads it (``int()``, so 1000.9 is 1000); a string,
    a boolean or anything else that is not a JSON number is refused (PyJWT would take the
    string "1000": Cognito never writes one)."""
    value = claims[name]
    if not isinstance(value, int | float) or isinstance(value, bool):
        raise TokenRefused(name)
    try:
        return int(value)
    except (ValueError, OverflowError):  # NaN or infinity
        raise TokenRefused(name) from None


def _check_claims(claims: dict[str, Any], issuer: str) -> None:
    for required in ("exp", "iss", "token_use"):
        if claims.get(required) is None:
            raise TokenRefused(f"no {required}")
    now = time.time()
    if "iat" in claims and _whole(claims, "iat") > now:
        raise TokenRefused("iat")
    if "nbf" in claims and _whole(claims, "nbf") > now:
        raise TokenRefused("nbf")
    if _whole(claims, "exp") <= now:
        raise TokenRefused("exp")
    if claims["iss"] != issuer:  # a string equal to the pool's issuer
        raise TokenRefused("iss")


def idp() -> Any:
    return client("cognito-idp")


# --- user-pool calls of the login, registration and administration flows ----------------


INVALID_PARAMETER = "InvalidParameterException"


class IdpError(Exception):
    """A refusal by the identity provider; ``code`` is Cognito's error code
    (NotAuthorizedException, CodeMismatchException, InvalidPasswordException, ...)."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


def _call(operation: str, **params: Any) -> dict[str, Any]:
    """One user-pool call; every refusal, including botocore's own parameter validation
    (a ``Session`` under 20 characters never leaves the client), becomes an ``IdpError``."""
    from botocore.exceptions import ClientError, ParamValidationError

    try:
        return dict(getattr(idp(), operation)(**params))
    except ClientError as exc:
        raise IdpError(str(exc.response.get("Error", {}).get("Code", "Unknown"))) from None
    except ParamValidationError:
        raise IdpError(INVALID_PARAMETER) from None


def _pool() -> str:
    from chalicelib.config import settings

    return settings().cognito_user_pool_id


def _client_id() -> str:
    from chalicelib.config import settings

    return settings().cognito_client_id


def _client_secret() -> str:
    from chalicelib.config import settings

    return settings().cognito_client_secret


def secret_hash(username: str, client_id: str | None = None, secret: str | None = None) -> str:
    """Cognito's SECRET_HASH: Base64(HMAC-SHA256(client secret, username + client id)).
    Only the API holds the secret, so only the API can start a login."""
    import base64
    import hashlib
    import hmac

    key = (secret if secret is not None else _client_secret()).encode()
    msg = (username + (client_id or _client_id())).encode()
    return base64.b64encode(hmac.new(key, msg, hashlib.sha256).digest()).decode()


def _with_secret(username: str, params: dict[str, str]) -> dict[str, str]:
    if _client_secret():
        return {**params, "SECRET_HASH": secret_hash(username)}
    return params


def password_auth(username: str, password: str) -> dict[str, Any]:
    """ADMIN_USER_PASSWORD_AUTH with the client's SECRET_HASH: tokens
    (``AuthenticationResult``) or a challenge. The app client allows no other password flow,
    so a caller without the API's IAM role and client secret cannot log anyone in."""
    return _call(
        "admin_initiate_auth",
        UserPoolId=_pool(),
        ClientId=_client_id(),
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters=_with_secret(username, {"USERNAME": username, "PASSWORD": password}),
    )


def refresh_auth(refresh_token: str, username: str = "") -> dict[str, Any]:
    """REFRESH_TOKEN_AUTH; a client with a secret needs the SECRET_HASH of the token's user."""
    params = {"REFRESH_TOKEN": refresh_token}
    return _call(
        "admin_initiate_auth",
        UserPoolId=_pool(),
        ClientId=_client_id(),
        AuthFlow="REFRESH_TOKEN_AUTH",
        AuthParameters=_with_secret(username, params) if username else params,
    )


def answer_challenge(name: str, session: str, responses: dict[str, str]) -> dict[str, Any]:
    username = responses.get("USERNAME", "")
    return _call(
        "admin_respond_to_auth_challenge",
        UserPoolId=_pool(),
        ClientId=_client_id(),
        ChallengeName=name,
        Session=session,
        ChallengeResponses=_with_secret(username, responses),
    )


def global_sign_out(access_token: str) -> None:
    _call("global_sign_out", AccessToken=access_token)


def admin_sign_out(username: str) -> None:
    _call("admin_user_global_sign_out", UserPoolId=_pool(), Username=username)


def change_password(access_token: str, old: str, new: str) -> None:
    _call("change_password", AccessToken=access_token, PreviousPassword=old, ProposedPassword=new)


def get_user(access_token: str) -> dict[str, Any]:
    return _call("get_user", AccessToken=access_token)


def admin_get_user(username: str) -> dict[str, Any]:
    return _call("admin_get_user", UserPoolId=_pool(), Username=username)


def create_user(username: str, email: str, temporary_password: str, group: str) -> None:
    """A user who must choose a new password at the first login. Cognito sends nothing
    (SUPPRESS): the application e-mails the identifier and PIN in its own words."""
    _call(
        "admin_create_user",
        UserPoolId=_pool(),
        Username=username,
        TemporaryPassword=temporary_password,
        MessageAction="SUPPRESS",
        UserAttributes=[
            {"Name": "email", "Value": email},
            {"Name": "email_verified", "Value": "true"},
        ],
    )
    _call("admin_add_user_to_group", UserPoolId=_pool(), Username=username, GroupName=group)


def delete_user(username: str) -> None:
    _call("admin_delete_user", UserPoolId=_pool(), Username=username)


def set_password(username: str, password: str) -> None:
    _call(
        "admin_set_user_password",
        UserPoolId=_pool(),
        Username=username,
        Password=password,
        Permanent=True,
    )


def set_enabled(username: str, enabled: bool) -> None:
    _call(
        "admin_enable_user" if enabled else "admin_disable_user",
        UserPoolId=_pool(),
        Username=username,
    )


def update_email(username: str, email: str) -> None:
    _call(
        "admin_update_user_attributes",
        UserPoolId=_pool(),
        Username=username,
        UserAttributes=[
            {"Name": "email", "Value": email},
            {"Name": "email_verified", "Value": "true"},
        ],
    )


def totp_secret(access_token: str) -> str:
    return str(_call("associate_software_token", AccessToken=access_token)["SecretCode"])


def verify_totp(access_token: str, code: str) -> None:
    result = _call(
        "verify_software_token", AccessToken=access_token, UserCode=code, FriendlyDeviceName="eBOK"
    )
    if result.get("Status") != "SUCCESS":
        raise IdpError("CodeMismatchException")


def set_totp(access_token: str, enabled: bool) -> None:
    _call(
        "set_user_mfa_preference",
        AccessToken=access_token,
        SoftwareTokenMfaSettings={"Enabled": enabled, "PreferredMfa": enabled},
    )
