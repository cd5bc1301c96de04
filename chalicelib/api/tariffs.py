"""Tariffs area: the public price list (cennik)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from chalicelib.api._http import Area, Ctx
from chalicelib.lazy import lazy_module
from chalicelib.schemas import tariffs as schemas

# Bound lazily (cold start); mypy checks every call against the real module.
if TYPE_CHECKING:
    from chalicelib.services import tariffs
else:
    tariffs = lazy_module("chalicelib.services.tariffs")

area = Area("tariffs")
blueprint = area.blueprint


@area.route(
    "/tariffs",
    "GET",
    summary="Public price list: every tariff group with its versions (net prices, VAT rate)",
    auth=False,
    response=schemas.PRICE_LIST,
)
def price_list(ctx: Ctx) -> dict[str, Any]:
    return tariffs.price_list()
