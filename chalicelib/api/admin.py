"""Administration area: registrations to review, customer data, logins, the audit log."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalicelib.api._http import Area, Ctx
from chalicelib.domain.principal import ADMINS
from chalicelib.lazy import lazy_module
from chalicelib.schemas import admin as schemas

# Bound lazily (cold start); mypy checks every call against the real module.
if TYPE_CHECKING:
    from chalicelib.services import admin
else:
    admin = lazy_module("chalicelib.services.admin")

area = Area("admin")
blueprint = area.blueprint


@area.route(
    "/admin/registrations",
    "GET",
    summary="Institutional registrations by status (pending by default)",
    roles=ADMINS,
    query=schemas.REGISTRATION_QUERY,
    response=schemas.REGISTRATIONS,
    errors=(400, 401, 403),
)
def list_registrations(ctx: Ctx) -> dict[str, Any]:
    return admin.list_registrations(ctx.query.get("status", "pending"))


@area.route(
    "/admin/registrations/{registration_id}",
    "GET",
    summary="A registration with its documents (short-lived download links) and history",
    roles=ADMINS,
    response=schemas.REGISTRATION_DETAIL,
    errors=(401, 403, 404),
)
def registration_detail(ctx: Ctx, registration_id: str) -> dict[str, Any]:
    return admin.registration_detail(registration_id)


@area.route(
    "/admin/registrations/{registration_id}/activate",
    "POST",
    summary="Activate: link or create the customer, create the login, e-mail identifier and PIN",
    roles=ADMINS,
    request=schemas.ACTIVATE,
    response=schemas.ACTIVATED,
    errors=(401, 403, 404, 409),
)
def activate(ctx: Ctx, registration_id: str) -> dict[str, Any]:
    return admin.activate(ctx.require_principal(), registration_id, ctx.body)


@area.route(
    "/admin/registrations/{registration_id}/reject",
    "POST",
    summary="Reject with a reason (e-mailed to the institution)",
    roles=ADMINS,
    request=schemas.REJECT,
    response=schemas.REJECTED,
    errors=(401, 403, 404, 409),
)
def reject(ctx: Ctx, registration_id: str) -> dict[str, Any]:
    return admin.reject(ctx.require_principal(), registration_id, ctx.body["reason"])


@area.route(
    "/admin/customers/{customer_no}",
    "GET",
    summary="A customer's full data, portal login and change history",
    roles=ADMINS,
    response=schemas.CUSTOMER_DETAIL,
    errors=(401, 403, 404),
)
def customer_detail(ctx: Ctx, customer_no: str) -> dict[str, Any]:
    return admin.customer_detail(customer_no)


@area.route(
    "/admin/customers/{customer_no}",
    "PATCH",
    summary="Edit or supplement customer data (validated like registration; audited)",
    roles=ADMINS,
    request=schemas.CUSTOMER_CHANGES,
    response=schemas.CUSTOMER_DETAIL,
    errors=(401, 403, 404, 409),
)
def update_customer(ctx: Ctx, customer_no: str) -> dict[str, Any]:
    return admin.update_customer(ctx.require_principal(), customer_no, ctx.body)


@area.route(
    "/admin/logins/{username}",
    "GET",
    summary="A login: role, customers, enabled, history",
    roles=ADMINS,
    response=schemas.LOGIN_DETAIL,
    errors=(401, 403, 404),
)
def login_detail(ctx: Ctx, username: str) -> dict[str, Any]:
    return admin.login_detail(username)


@area.route(
    "/admin/logins/{username}/disable",
    "POST",
    summary="Disable a login (its sessions end at once)",
    roles=ADMINS,
    response=schemas.LOGIN_DETAIL,
    errors=(401, 403, 404, 409),
)
def disable_login(ctx: Ctx, username: str) -> dict[str, Any]:
    return admin.set_login_enabled(ctx.require_principal(), username, False)


@area.route(
    "/admin/logins/{username}/enable",
    "POST",
    summary="Enable a login again",
    roles=ADMINS,
    response=schemas.LOGIN_DETAIL,
    errors=(401, 403, 404, 409),
)
def enable_login(ctx: Ctx, username: str) -> dict[str, Any]:
    return admin.set_login_enabled(ctx.require_principal(), username, True)


@area.route(
    "/admin/logins/{username}/customers",
    "PUT",
    summary="Set the customer accounts a customer or building-manager login acts for",
    roles=ADMINS,
    request=schemas.LOGIN_CUSTOMERS,
    response=schemas.LOGIN_DETAIL,
    errors=(401, 403, 404, 409),
)
def set_login_customers(ctx: Ctx, username: str) -> dict[str, Any]:
    return admin.set_login_customers(ctx.require_principal(), username, ctx.body["customer_nos"])


@area.route(
    "/admin/audit",
    "GET",
    summary="The audit log of administrative actions, a month at a time, newest first",
    roles=ADMINS,
    query=schemas.AUDIT_QUERY,
    response=schemas.AUDIT_PAGE,
    errors=(400, 401, 403),
)
def audit_log(ctx: Ctx) -> dict[str, Any]:
    q = ctx.query
    return admin.audit_log(q.get("month"), q.get("cursor"), int(q.get("limit", "100")))
