"""Tariffs area: the public price list (cennik)."""

from __future__ import annotations

from typing import Any

from chalicelib.api._http import Area, Ctx
from chalicelib.lazy import lazy_module
from chalicelib.schemas import tariffs as schemas

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
