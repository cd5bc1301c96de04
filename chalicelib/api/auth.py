"""Auth area: login (user identifier + password), first-login new password, TOTP, refresh,
logout, forgotten and changed password, profile."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Response

from chalicelib.api._http import Area, Ctx
from chalicelib.lazy import lazy_module
from chalicelib.schemas import auth as schemas

# Bound lazily (cold start); mypy checks every call against the real module.
if TYPE_CHECKING:
    from chalicelib.services import auth
else:
    auth = lazy_module("chalicelib.services.auth")

area = Area("auth")
blueprint = area.blueprint


def source_address(ctx: Ctx) -> str:
    """The caller's address as API Gateway saw it (never a client-supplied header)."""
    identity = (ctx.request.context or {}).get("identity") or {}
    return str(identity.get("sourceIp") or "unknown")


def user_agent(ctx: Ctx) -> str:
    """The browser as it names itself (kept with a successful sign-in for "Moje dane")."""
    return str(ctx.request.headers.get("user-agent", ""))


def bearer(ctx: Ctx) -> str:
    value = ctx.request.headers.get("authorization", "")
    return value[7:].strip() if value.lower().startswith("bearer ") else value.strip()


@area.route(
    "/auth/login",
    "POST",
    summary="Log in with the user identifier and password: tokens or the next challenge",
    auth=False,
    request=schemas.LOGIN,
    response=schemas.LOGIN_RESULT,
    errors=(401, 423, 429),
    description=(
        "Five failed logins within 15 minutes lock the login for 15 minutes (423, Retry-After);"
        " attempts are also limited per source address and per identifier (429, Retry-After)."
    ),
)
def login(ctx: Ctx) -> dict[str, Any]:
    return auth.login(
        ctx.body["username"].strip(), ctx.body["password"], source_address(ctx), user_agent(ctx)
    )


@area.route(
    "/auth/new-password",
    "POST",
    summary="First login: replace the one-time PIN with the customer's own password",
    auth=False,
    request=schemas.NEW_PASSWORD,
    response=schemas.LOGIN_RESULT,
    errors=(401, 423, 429),
)
def new_password(ctx: Ctx) -> dict[str, Any]:
    b = ctx.body
    return auth.new_password(
        b["username"].strip(), b["session"], b["new_password"], source_address(ctx), user_agent(ctx)
    )


@area.route(
    "/auth/mfa",
    "POST",
    summary="Answer the TOTP second-factor challenge",
    auth=False,
    request=schemas.MFA,
    response=schemas.LOGIN_RESULT,
    errors=(401, 423, 429),
)
def mfa(ctx: Ctx) -> dict[str, Any]:
    b = ctx.body
    return auth.mfa(
        b["username"].strip(), b["session"], b["code"], source_address(ctx), user_agent(ctx)
    )


@area.route(
    "/auth/refresh",
    "POST",
    summary="New access token from the refresh token",
    auth=False,
    request=schemas.REFRESH,
    response=schemas.REFRESH_RESULT,
    errors=(401, 429),
)
def refresh(ctx: Ctx) -> dict[str, Any]:
    return auth.refresh(ctx.body["refresh_token"])


@area.route(
    "/auth/logout",
    "POST",
    summary="Log out: end the sessions and refuse the tokens already issued",
    status=204,
    errors=(401, 403),
)
def logout(ctx: Ctx) -> Response:
    auth.logout(ctx.require_principal(), bearer(ctx))
    return Response(body="", status_code=204)


@area.route(
    "/auth/forgot-password",
    "POST",
    summary="E-mail a password reset code (the same answer whether or not the login exists)",
    auth=False,
    request=schemas.FORGOT,
    response=schemas.ACCEPTED,
    status=202,
    errors=(429,),
)
def forgot_password(ctx: Ctx) -> Response:
    from chalicelib.api._http import json_response

    auth.forgot_password(ctx.body["username"].strip(), source_address(ctx), ctx.lang)
    return json_response({"status": "accepted"}, 202)


@area.route(
    "/auth/confirm-forgot-password",
    "POST",
    summary="Set a new password with the e-mailed reset code",
    auth=False,
    request=schemas.CONFIRM_FORGOT,
    status=204,
    errors=(429,),
)
def confirm_forgot_password(ctx: Ctx) -> Response:
    b = ctx.body
    auth.confirm_forgot_password(
        b["username"].strip(), b["code"], b["new_password"], source_address(ctx)
    )
    return Response(body="", status_code=204)


@area.route(
    "/auth/change-password",
    "POST",
    summary="Change the password; other sessions end and a fresh session is returned",
    request=schemas.CHANGE_PASSWORD,
    response=schemas.LOGIN_RESULT,
    errors=(401, 403, 423, 429),
)
def change_password(ctx: Ctx) -> dict[str, Any]:
    b = ctx.body
    return auth.change_password(
        ctx.require_principal(), bearer(ctx), b["old_password"], b["new_password"], ctx.lang
    )


@area.route(
    "/auth/profile",
    "GET",
    summary="The logged-in user's profile: identifier, role, e-mail, second factor",
    response=schemas.PROFILE,
    errors=(401, 403),
)
def profile(ctx: Ctx) -> dict[str, Any]:
    return auth.profile(ctx.require_principal(), bearer(ctx))


@area.route(
    "/auth/mfa/setup",
    "POST",
    summary="Start TOTP set-up: the secret for an authenticator app",
    response=schemas.TOTP_SETUP,
    errors=(401, 403),
)
def totp_setup(ctx: Ctx) -> dict[str, Any]:
    return auth.totp_setup(ctx.require_principal(), bearer(ctx))


@area.route(
    "/auth/mfa/verify",
    "POST",
    summary="Confirm TOTP set-up with a code from the app and switch the second factor on",
    request=schemas.TOTP_VERIFY,
    response=schemas.MFA_STATE,
    errors=(401, 403),
)
def totp_verify(ctx: Ctx) -> dict[str, Any]:
    return auth.totp_verify(ctx.require_principal(), bearer(ctx), ctx.body["code"])


@area.route(
    "/auth/mfa/disable",
    "POST",
    summary="Switch the TOTP second factor off (asks for the password)",
    request=schemas.TOTP_DISABLE,
    response=schemas.MFA_STATE,
    errors=(401, 403, 423, 429),
)
def totp_disable(ctx: Ctx) -> dict[str, Any]:
    return auth.totp_disable(ctx.require_principal(), bearer(ctx), ctx.body["password"])
