"""Secure messages area: threads between a customer and the account manager."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalice import Response

from chalicelib.api._http import Area, Ctx, json_response
from chalicelib.lazy import lazy_module
from chalicelib.schemas import threads as schemas

if TYPE_CHECKING:
    from chalicelib.services import threads
else:
    threads = lazy_module("chalicelib.services.threads")

area = Area("threads")
blueprint = area.blueprint
PARTIES = frozenset({"customer", "building_manager", "account_manager", "admin"})


@area.route(
    "/customers/{customer_no}/threads",
    "GET",
    summary="Message threads with the account manager and the unread count",
    response=schemas.THREADS,
    errors=(401, 403, 404),
)
def list_threads(ctx: Ctx, customer_no: str) -> dict[str, Any]:
    return threads.list_threads(ctx.require_principal(), customer_no)


@area.route(
    "/customers/{customer_no}/threads",
    "POST",
    summary="Start a thread (presigned uploads for its attachments)",
    roles=PARTIES,
    request=schemas.THREAD_IN,
    response=schemas.POSTED,
    status=201,
    errors=(401, 403, 404, 409),
)
def start(ctx: Ctx, customer_no: str) -> Response:
    return json_response(threads.start(ctx.require_principal(), customer_no, ctx.body), 201)


@area.route(
    "/customers/{customer_no}/threads/{thread_id}",
    "GET",
    summary="A thread's messages (only those after the cursor ``after``); marks them read",
    query=schemas.READ_QUERY,
    response=schemas.THREAD_READ,
    errors=(400, 401, 403, 404),
)
def read(ctx: Ctx, customer_no: str, thread_id: str) -> dict[str, Any]:
    return threads.read(ctx.require_principal(), customer_no, thread_id, ctx.query.get("after"))


@area.route(
    "/customers/{customer_no}/threads/{thread_id}/messages",
    "POST",
    summary="Write in a thread (presigned uploads for its attachments)",
    roles=PARTIES,
    request=schemas.MESSAGE_IN,
    response=schemas.POSTED,
    status=201,
    errors=(401, 403, 404, 409),
)
def reply(ctx: Ctx, customer_no: str, thread_id: str) -> Response:
    return json_response(
        threads.reply(ctx.require_principal(), customer_no, thread_id, ctx.body), 201
    )


@area.route(
    "/me/unread",
    "GET",
    summary="Unread messages of this login",
    response=schemas.UNREAD,
    errors=(401,),
)
def unread(ctx: Ctx) -> dict[str, Any]:
    return threads.unread(ctx.require_principal())
