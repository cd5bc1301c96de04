"""KSeF administration: invoices KSeF rejected (parked, not delivered) and their resubmission."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalicelib.api._http import Area, Ctx
from chalicelib.domain.principal import ADMINS
from chalicelib.lazy import lazy_module
from chalicelib.schemas import ksef as schemas

if TYPE_CHECKING:
    from chalicelib.services import ksef
else:
    ksef = lazy_module("chalicelib.services.ksef")

area = Area("ksef")
blueprint = area.blueprint


@area.route(
    "/admin/ksef/rejected",
    "GET",
    summary="Invoices KSeF rejected, with KSeF's reason: parked, their e-mail waits",
    roles=ADMINS,
    response=schemas.REJECTED_LIST,
    errors=(401, 403),
)
def rejected(ctx: Ctx) -> dict[str, Any]:
    return ksef.rejected_list()


@area.route(
    "/admin/ksef/rejected/{customer_no}/{invoice_id}/resubmit",
    "POST",
    summary="Send a rejected invoice to KSeF again (after fixing what KSeF named; audited)",
    roles=ADMINS,
    response=schemas.REJECTED_ITEM,
    errors=(401, 403, 404, 409),
)
def resubmit(ctx: Ctx, customer_no: str, invoice_id: str) -> dict[str, Any]:
    return ksef.resubmit(ctx.require_principal(), customer_no, invoice_id)
