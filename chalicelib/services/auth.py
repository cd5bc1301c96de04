"""Login and sessions on Cognito: user identifier + password, first-login new password,
TOTP second factor, refresh, logout with revocation, forgotten and changed passwords.

Every wrong password, unknown identifier or wrong TOTP code counts towards the lockout
(``auth_guard``); the answers never tell an unknown identifier from a wrong password.
Revocation: Cognito's GlobalSignOut ends the refresh tokens, and the Login item's
``tokens_valid_after`` / ``revoked_sessions`` make the authorizer refuse the access tokens
already issued (they stay cryptographically valid until they expire).
"""

from __future__ import annotations

import contextlib
import secrets
import time
from typing import Any
from urllib.parse import quote

from chalicelib.adapters import cognito, ses
from chalicelib.domain import clock
from chalicelib.domain import credentials as rules
from chalicelib.domain.principal import Principal
from chalicelib.errors import FieldError, TooManyRequests, Unauthorized, ValidationFailed
from chalicelib.observability import logger, metrics
from chalicelib.render import auth_mail
from chalicelib.services import auth_guard, signins
from chalicelib.services.identity import session_of
from chalicelib.store import auth as store
from chalicelib.store.customers import get_login

CHALLENGES = ("NEW_PASSWORD_REQUIRED", "SOFTWARE_TOKEN_MFA")
DECOY_RECIPIENT = "success@simulator.amazonses.com"
"""SES's mailbox simulator: accepts a message and delivers it nowhere (no bounce, no
reputation cost); the reset e-mail of an unknown identifier goes there."""
_FAILURES = (
    "NotAuthorizedException",
    "UserNotFoundException",
    "PasswordResetRequiredException",
    "UserNotConfirmedException",
    cognito.INVALID_PARAMETER,  # a value Cognito cannot even take is a failed login too
)
_THROTTLED = (
    "TooManyRequestsException",
    "LimitExceededException",
    "TooManyFailedAttemptsException",
)


def _epoch_now() -> int:
    """Wall-clock seconds for comparing with token ``iat`` (set by Cognito's clock, never
    by the application's possibly faked ``clock.now``)."""
    return int(time.time())


_REFRESH_SEP = "~"


def _wrap_refresh(username: str, token: str | None) -> str | None:
    """The refresh token the portal keeps: the user identifier beside Cognito's token, because
    a refresh through a client with a secret needs the user's SECRET_HASH. Changing the
    identifier only makes Cognito refuse the token (the hash no longer matches it)."""
    return f"{username}{_REFRESH_SEP}{token}" if token else None


def _unwrap_refresh(value: str) -> tuple[str, str]:
    username, sep, token = value.partition(_REFRESH_SEP)
    return (username, token) if sep else ("", value)


def _tokens(
    result: dict[str, Any], refresh_token: str | None = None, username: str = ""
) -> dict[str, Any]:
    auth = result["AuthenticationResult"]
    fresh = _wrap_refresh(username, auth.get("RefreshToken")) if username else None
    return {
        "access_token": auth["AccessToken"],
        "id_token": auth.get("IdToken"),
        "refresh_token": fresh or refresh_token,
        "expires_in": int(auth.get("ExpiresIn", 3600)),
        "token_type": auth.get("TokenType", "Bearer"),
    }


def _answer(
    username: str, result: dict[str, Any], seen: tuple[str, str, str] = ("", "", "")
) -> dict[str, Any]:
    """Tokens, or the next challenge (the portal asks for a new password or a TOTP code).
    ``seen`` = (source address, user agent, step): a successful sign-in is recorded for
    "Moje dane" (``services.signins``)."""
    if "AuthenticationResult" in result:
        login = get_login(username)
        if login is None or not login.enabled:
            # A pool user without an enabled eBOK login cannot use the portal.
            raise Unauthorized("auth.bad_credentials")
        auth_guard.clear_failures(username)
        signins.record(username, *seen)
        metrics.add_metric(name="Logins", unit="Count", value=1)
        return {"tokens": _tokens(result, username=username), "role": login.role}
    challenge = str(result.get("ChallengeName") or "")
    if challenge not in CHALLENGES:
        logger.warning("unsupported challenge", extra={"challenge": challenge})
        raise Unauthorized("auth.bad_credentials")
    return {"challenge": challenge, "session": result["Session"], "username": username}


def _policy(field: str, password: str) -> None:
    problems = rules.password_problems(password)
    if problems:
        raise ValidationFailed(errors=[FieldError(field, k) for k in problems])


def _throttled(code: str) -> None:
    if code in _THROTTLED:
        raise TooManyRequests(headers={"Retry-After": "60"})


def throttle_login(username: str, source: str) -> None:
    """Attempts per source address and per identifier (successful ones too): one address
    trying many identifiers, or many addresses one identifier, gets 429 with Retry-After
    long before the per-identifier lockout could be spread thin."""
    if source:
        auth_guard.check_rate("login.source", source)
    auth_guard.check_rate("login.id", username)


def login(username: str, password: str, source: str = "", user_agent: str = "") -> dict[str, Any]:
    throttle_login(username, source)
    auth_guard.ensure_not_locked(username)
    try:
        result = cognito.password_auth(username, password)
    except cognito.IdpError as exc:
        _throttled(exc.code)
        if exc.code not in _FAILURES:
            raise
        if auth_guard.record_failure(username):
            auth_guard.ensure_not_locked(username)
        raise Unauthorized("auth.bad_credentials") from None
    return _answer(username, result, (source, user_agent, "password"))


def new_password(
    username: str, session: str, password: str, source: str = "", user_agent: str = ""
) -> dict[str, Any]:
    """The first login with the PIN: Cognito requires the customer's own password."""
    _policy("new_password", password)
    throttle_login(username, source)
    auth_guard.ensure_not_locked(username)
    try:
        result = cognito.answer_challenge(
            "NEW_PASSWORD_REQUIRED", session, {"USERNAME": username, "NEW_PASSWORD": password}
        )
    except cognito.IdpError as exc:
        _throttled(exc.code)
        if exc.code == "InvalidPasswordException":
            raise ValidationFailed(
                errors=[FieldError("new_password", "auth.password_rejected")]
            ) from None
        raise Unauthorized("auth.session_expired") from None
    return _answer(username, result, (source, user_agent, "new_password"))


def mfa(
    username: str, session: str, code: str, source: str = "", user_agent: str = ""
) -> dict[str, Any]:
    throttle_login(username, source)
    auth_guard.ensure_not_locked(username)
    try:
        result = cognito.answer_challenge(
            "SOFTWARE_TOKEN_MFA", session, {"USERNAME": username, "SOFTWARE_TOKEN_MFA_CODE": code}
        )
    except cognito.IdpError as exc:
        _throttled(exc.code)
        if exc.code in ("CodeMismatchException", "ExpiredCodeException"):
            if auth_guard.record_failure(username):
                auth_guard.ensure_not_locked(username)
            raise Unauthorized("auth.mfa_invalid") from None
        raise Unauthorized("auth.session_expired") from None
    return _answer(username, result, (source, user_agent, "mfa"))


def refresh(refresh_token: str) -> dict[str, Any]:
    from chalicelib.services import identity

    username, token = _unwrap_refresh(refresh_token)
    try:
        result = cognito.refresh_auth(token, username)
    except cognito.IdpError as exc:
        _throttled(exc.code)
        raise Unauthorized("auth.refresh_invalid") from None
    tokens = _tokens(result, refresh_token)
    principal = identity.principal_from_token(tokens["access_token"])
    if principal is None:  # disabled, logged out or unknown login
        raise Unauthorized("auth.refresh_invalid")
    return {"tokens": tokens, "role": principal.role}


def _claims(access_token: str) -> dict[str, Any]:
    """Claims of a token the authorizer has already verified."""
    return cognito.verified_claims(access_token)


def logout(principal: Principal, access_token: str) -> None:
    """End every Cognito session of the user and refuse the tokens already issued."""
    claims = _claims(access_token)
    try:
        cognito.global_sign_out(access_token)
    except cognito.IdpError as exc:
        logger.info("global sign-out refused", extra={"code": exc.code})
    store.end_sessions(principal.username, _epoch_now(), session_of(claims))
    logger.info("logged out", extra={"username": principal.username})


def _email_of(user: dict[str, Any]) -> str | None:
    attrs = user.get("UserAttributes") or user.get("Attributes") or []
    return next((a["Value"] for a in attrs if a.get("Name") == "email"), None)


def forgot_password(username: str, source: str, lang: str) -> None:
    """E-mail a reset code if the identifier exists; the answer is the same either way.

    The application makes the code itself instead of Cognito's ForgotPassword: in AWS that
    sends Cognito's own message (one template, one language), and under moto the code is
    neither delivered nor checked (moto accepts any code). Here a 6-digit code is e-mailed
    through SES in the customer's language, stored only as a salted hash with a 30-minute
    TTL and 5 tries, and the confirmation sets the password with AdminSetUserPassword —
    the same behaviour under moto and in AWS.
    """
    auth_guard.check_rate("forgot.source", source)
    auth_guard.check_rate("forgot.login", username)
    login = get_login(username)
    try:
        user = cognito.admin_get_user(username)
    except cognito.IdpError:
        user = {}
    email = _email_of(user)
    known = bool(login is not None and login.enabled and email)
    # The same work whatever the identifier: a code is made, stored and e-mailed in every
    # case; for an unknown identifier the e-mail goes to SES's mailbox simulator (accepted,
    # never delivered) and the stored code can never be used (no login to reset). Equal
    # calls mean equal time: the answer tells nobody whether the identifier exists.
    code = rules.new_reset_code()
    salt = secrets.token_hex(8)
    now = int(clock.now().timestamp())
    store.put_reset_code(
        username, rules.hash_code(code, salt), salt, clock.now_iso(), now + rules.RESET_CODE_TTL_S
    )
    subject, text = auth_mail.reset_code(lang, username, code, rules.RESET_CODE_TTL_S // 60)
    ses.send_email([email if known and email else DECOY_RECIPIENT], subject, text)
    logger.info("reset code handled", extra={"sent": known})


def confirm_forgot_password(username: str, code: str, password: str, source: str = "") -> None:
    _policy("new_password", password)
    if source:
        auth_guard.check_rate("reset.source", source)
    invalid = ValidationFailed(errors=[FieldError("code", "auth.code_invalid")])
    stored = store.get_reset_code(username)
    if stored is None:
        raise invalid
    login = get_login(username)
    if login is None or not login.enabled:
        raise invalid  # a code made for an identifier without a login was never sent
    expires = stored.expires_at.timestamp() if stored.expires_at else 0
    if expires <= clock.now().timestamp() or not store.count_reset_try(
        stored, rules.RESET_CODE_MAX_TRIES
    ):
        raise invalid
    if not rules.code_matches(code.strip(), stored.salt, stored.code_hash):
        raise invalid
    if not store.use_reset_code(stored):
        raise invalid  # a replay: the code was already used
    try:
        cognito.set_password(username, password)
    except cognito.IdpError as exc:
        if exc.code in ("InvalidPasswordException", cognito.INVALID_PARAMETER):
            raise ValidationFailed(
                errors=[FieldError("new_password", "auth.password_rejected")]
            ) from None
        raise
    with contextlib.suppress(cognito.IdpError):
        cognito.admin_sign_out(username)
    # No session of the caller to keep: refuse every token issued up to this very second.
    store.end_sessions(username, _epoch_now() + 1)
    auth_guard.clear_failures(username)
    logger.info("password reset", extra={"username": username})


def change_password(
    principal: Principal, access_token: str, old: str, new: str, lang: str
) -> dict[str, Any]:
    """Change the password, log out every other session and answer with a fresh session."""
    _policy("new_password", new)
    if old == new:
        raise ValidationFailed(errors=[FieldError("new_password", "auth.password_same")])
    username = principal.username
    auth_guard.ensure_not_locked(username)
    try:
        cognito.change_password(access_token, old, new)
    except cognito.IdpError as exc:
        _throttled(exc.code)
        if exc.code == "InvalidPasswordException":
            raise ValidationFailed(
                errors=[FieldError("new_password", "auth.password_rejected")]
            ) from None
        if exc.code in ("NotAuthorizedException", cognito.INVALID_PARAMETER):
            auth_guard.record_failure(username)
            raise ValidationFailed(
                errors=[FieldError("old_password", "auth.wrong_password")]
            ) from None
        raise
    claims = _claims(access_token)
    with contextlib.suppress(cognito.IdpError):
        cognito.admin_sign_out(username)
    store.end_sessions(username, _epoch_now(), session_of(claims))
    try:
        email = _email_of(cognito.admin_get_user(username))
        if email:
            subject, text = auth_mail.password_changed(lang, username)
            ses.send_email([email], subject, text)
    except Exception:
        logger.exception("password-change notice not sent")
    return login(username, new)


def profile(principal: Principal, access_token: str) -> dict[str, Any]:
    try:
        user = cognito.get_user(access_token)
    except cognito.IdpError:
        raise Unauthorized() from None
    login = get_login(principal.username)
    return {
        "username": principal.username,
        "role": principal.role,
        "customers": list(principal.customer_nos),
        "email": _email_of(user),
        "mfa_enabled": "SOFTWARE_TOKEN_MFA" in (user.get("UserMFASettingList") or []),
        "created_at": login.created_at if login else None,
    }


def totp_setup(principal: Principal, access_token: str) -> dict[str, Any]:
    try:
        secret = cognito.totp_secret(access_token)
    except cognito.IdpError:
        raise Unauthorized() from None
    label = quote(f"eBOK:{principal.username}")
    return {
        "secret": secret,
        "otpauth_uri": f"otpauth://totp/{label}?secret={secret}&issuer=eBOK",
    }


def totp_verify(principal: Principal, access_token: str, code: str) -> dict[str, Any]:
    try:
        cognito.verify_totp(access_token, code)
    except cognito.IdpError as exc:
        if exc.code in (
            "CodeMismatchException",
            "EnableSoftwareTokenMFAException",
            "ExpiredCodeException",
        ):
            raise ValidationFailed(errors=[FieldError("code", "auth.mfa_invalid")]) from None
        raise Unauthorized() from None
    cognito.set_totp(access_token, True)
    logger.info("totp enabled", extra={"username": principal.username})
    return {"mfa_enabled": True}


def totp_disable(principal: Principal, access_token: str, password: str) -> dict[str, Any]:
    """Switching the second factor off asks for the password again."""
    username = principal.username
    auth_guard.ensure_not_locked(username)
    try:
        cognito.password_auth(username, password)
    except cognito.IdpError as exc:
        _throttled(exc.code)
        auth_guard.record_failure(username)
        raise ValidationFailed(errors=[FieldError("password", "auth.wrong_password")]) from None
    cognito.set_totp(access_token, False)
    logger.info("totp disabled", extra={"username": username})
    return {"mfa_enabled": False}
