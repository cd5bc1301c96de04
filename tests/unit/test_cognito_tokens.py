"""The authorizer's token check (``cryptography``'s RSA behind the adapter's JOSE framing),
and the pool's keys from configuration.

Tokens are signed here with PyJWT (a test dependency) and a fresh RSA key. PyJWT is the
oracle: the verifier accepts a token only when ``jwt.decode(algorithms=["RS256"],
issuer=..., require exp/iss/token_use)`` accepts it, with the same claims, and refuses what
it refuses (it is stricter on what Cognito never writes: a time claim given as a string
or a boolean, padding or other characters inside a base64url segment). It reads the keys from ``COGNITO_JWKS`` without a request when it holds them.
"""

from __future__ import annotations

import base64
import json
import time
from collections.abc import Iterator
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa

from chalicelib.adapters import cognito
from chalicelib.config import settings

ISSUER = "https://cognito-idp.eu-central-1.amazonaws.com/eu-central-1_test"
URL = "https://keys.invalid/jwks.json"


def _b64(n: int) -> str:
    raw = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@pytest.fixture(scope="module")
def key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="module")
def other_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def _jwks(key: rsa.RSAPrivateKey, kid: str = "k1") -> dict[str, Any]:
    pub = key.public_key().public_numbers()
    return {
        "keys": [
            {
                "kty": "RSA",
                "alg": "RS256",
                "use": "sig",
                "kid": kid,
                "n": _b64(pub.n),
                "e": _b64(pub.e),
            }
        ]
    }


@pytest.fixture
def configured(monkeypatch: pytest.MonkeyPatch, key: rsa.RSAPrivateKey) -> Iterator[None]:
    """The keys in COGNITO_JWKS; any HTTP fetch fails the test."""

    def no_fetch(*_: Any, **__: Any) -> Any:
        raise AssertionError("the keys were fetched although configured")

    monkeypatch.setenv("COGNITO_JWKS", json.dumps(_jwks(key)))
    monkeypatch.setattr("urllib.request.urlopen", no_fetch)
    settings.cache_clear()
    cognito._configured.cache_clear()
    cognito._JWKS_CACHE.clear()
    yield
    settings.cache_clear()
    cognito._configured.cache_clear()


def _claims(**over: Any) -> dict[str, Any]:
    now = int(time.time())  # Cognito stamps tokens with the real clock
    base = {
        "sub": "abc",
        "iss": ISSUER,
        "token_use": "access",
        "client_id": "client",
        "username": "10000001",
        "iat": now - 10,
        "exp": now + 3600,
        "jti": "j1",
    }
    base.update(over)
    return {k: v for k, v in base.items() if v is not None}


def _token(key: rsa.RSAPrivateKey, claims: dict[str, Any], **headers: Any) -> str:
    alg = headers.pop("alg", "RS256")
    return jwt.encode(claims, key, algorithm=alg, headers={"kid": "k1", **headers})


def test_a_valid_token_gives_its_claims_from_configured_keys(
    configured: None, key: rsa.RSAPrivateKey
) -> None:
    claims = cognito.verify_rs256(_token(key, _claims()), URL, ISSUER)
    assert claims["username"] == "10000001" and claims["token_use"] == "access"


# Built when the test runs, not when it is collected: a suite that runs for half an hour
# would otherwise sign "600 s from now" for an instant already past.
REFUSED: dict[str, Any] = {
    "expired": lambda: _claims(exp=int(time.time()) - 1),
    "nbf": lambda: _claims(nbf=int(time.time()) + 600),
    "iat": lambda: _claims(iat=int(time.time()) + 600),
    "issuer": lambda: _claims(iss=ISSUER + "x"),
    "no-exp": lambda: _claims(exp=None),
    "no-iss": lambda: _claims(iss=None),
    "no-use": lambda: _claims(token_use=None),
    "bad-exp": lambda: _claims(exp="soon"),
    "sub": lambda: _claims(sub=5),
}


@pytest.mark.parametrize("case", sorted(REFUSED))
def test_claims_pyjwt_refused_are_refused(
    configured: None, key: rsa.RSAPrivateKey, case: str
) -> None:
    with pytest.raises(cognito.TokenRefused):
        cognito.verify_rs256(_token(key, REFUSED[case]()), URL, ISSUER)


def test_another_key_or_algorithm_or_kid_is_refused(
    configured: None, key: rsa.RSAPrivateKey, other_key: rsa.RSAPrivateKey
) -> None:
    forged = _token(other_key, _claims())
    none_alg = jwt.encode(_claims(), None, algorithm="none", headers={"kid": "k1"})
    hs256 = jwt.encode(
        _claims(), "secret-long-enough-for-hmac-sha256!", algorithm="HS256", headers={"kid": "k1"}
    )
    good = _token(key, _claims())
    head, body, sig = good.split(".")
    tampered_body = (
        base64.urlsafe_b64encode(json.dumps(_claims(username="10000002")).encode())
        .rstrip(b"=")
        .decode()
    )
    for bad in (
        forged,
        none_alg,
        hs256,
        f"{head}.{tampered_body}.{sig}",
        f"{head}.{body}",
        f"{head}.{body}.{sig}.x",
        "not-a-token",
        _token(key, _claims(), crit=["exp"]),
    ):
        with pytest.raises(cognito.TokenRefused):
            cognito.verify_rs256(bad, URL, ISSUER)


def test_a_kid_unknown_to_the_configuration_fetches_the_keys(
    monkeypatch: pytest.MonkeyPatch,
    configured: None,
    key: rsa.RSAPrivateKey,
    other_key: rsa.RSAPrivateKey,
) -> None:
    """A rotated pool key is not refused for want of a redeploy: the URL is asked."""
    fetched: list[str] = []

    class Answer:
        def __enter__(self) -> Answer:
            return self

        def __exit__(self, *_: Any) -> None:
            return None

        def read(self) -> bytes:
            return json.dumps(_jwks(other_key, kid="k2")).encode()

    def fetch(url: str, timeout: float) -> Answer:
        fetched.append(url)
        return Answer()

    monkeypatch.setattr("urllib.request.urlopen", fetch)
    token = jwt.encode(_claims(), other_key, algorithm="RS256", headers={"kid": "k2"})
    assert cognito.verify_rs256(token, URL, ISSUER)["username"] == "10000001"
    assert fetched == [URL]
    cognito.verify_rs256(_token(key, _claims()), URL, ISSUER)  # k1: configured, no fetch
    assert fetched == [URL]


def test_a_configuration_that_is_not_a_jwks_falls_back_to_the_url(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("COGNITO_JWKS", "not json")
    settings.cache_clear()
    cognito._configured.cache_clear()
    try:
        assert cognito._configured(cognito._configured_text()) is None
    finally:
        settings.cache_clear()
        cognito._configured.cache_clear()


def _pyjwt(token: str, key: rsa.RSAPrivateKey) -> dict[str, Any] | None:
    try:
        return dict(
            jwt.decode(
                token,
                key=key.public_key(),
                algorithms=["RS256"],
                issuer=ISSUER,
                options={"require": ["exp", "iss", "token_use"], "verify_aud": False},
            )
        )
    except jwt.PyJWTError:
        return None


def _ours(token: str) -> dict[str, Any] | None:
    try:
        return cognito.verify_rs256(token, URL, ISSUER)
    except cognito.TokenRefused:
        return None


def _variants(key: rsa.RSAPrivateKey) -> list[str]:
    now = int(time.time())
    claim_sets = [_claims()]
    for name in ("exp", "nbf", "iat"):
        for value in (
            now - 5,
            now + 5,
            now + 0.9,
            now - 0.9,
            float(now + 100),
            True,
            None,
            [1],
            {"a": 1},
            1e300,
        ):
            claim_sets.append(
                _claims(**{name: value}) if value is not None else _claims(**{name: None})
            )
    for name, value in (
        ("iss", 5),
        ("iss", ISSUER.upper()),
        ("token_use", "id"),
        ("token_use", 0),
        ("sub", None),
        ("jti", 7),
        ("jti", None),
    ):
        claim_sets.append(_claims(**{name: value}))
    # Signed as bytes (PyJWS): PyJWT's own encoder refuses to write some of these claims.
    tokens = [
        jwt.api_jws.encode(json.dumps(c).encode(), key, algorithm="RS256", headers={"kid": "k1"})
        for c in claim_sets
    ]
    tokens += [_token(key, _claims(), typ="JWT"), _token(key, _claims(), typ="at+jwt", cty="x")]
    good = _token(key, _claims())
    head, body, sig = good.split(".")
    tokens += [
        f"{head}.{body}.{sig[:-2]}",  # a shortened signature
        f"{head}.{body}.{sig}A",
        f"{head}.{body}.",
        f"{head}=.{body}.{sig}",
        f"{head}.{body}=.{sig}",
        f"{head}.{body}.{sig}=",
        f"{head}.{body}.{sig.replace('-', '+')}",
        f".{body}.{sig}",
        f"{head}..{sig}",
        good.replace(".", " .", 1),
    ]
    return tokens


def test_the_verifier_never_accepts_what_pyjwt_refuses(
    configured: None, key: rsa.RSAPrivateKey
) -> None:
    tokens = _variants(key)
    agreed = refused_by_both = 0
    for token in tokens:
        ours, theirs = _ours(token), _pyjwt(token, key)
        if ours is not None:
            assert ours == theirs, token  # accepted: PyJWT accepts it too, the same claims
            agreed += 1
        elif theirs is None:
            refused_by_both += 1
        else:  # refused by us alone: only where PyJWT is lenient on what Cognito never signs
            assert any(isinstance(theirs.get(c), str | bool) for c in ("exp", "nbf", "iat")) or (
                "=" in token or " " in token or "+" in token
            ), token
    assert agreed >= 10 and refused_by_both >= 15, (agreed, refused_by_both)
