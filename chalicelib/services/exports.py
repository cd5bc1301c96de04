"""Exports of a customer's data: consumption and invoices as CSV (Polish spreadsheet
conventions) and the usage as a Green Button (ESPI) Atom feed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, time

from chalicelib.domain.principal import Principal
from chalicelib.services import consumption


@dataclass(frozen=True)
class Download:
    body: bytes
    content_type: str
    filename: str


def consumption_csv(principal: Principal, customer_no: str, query: Mapping[str, str]) -> Download:
    from chalicelib.render import consumption_csv as render

    s = consumption.series(principal, customer_no, {**query, "group_by": "month"})
    return Download(
        render.consumption_csv(s["contracts"]),
        "text/csv; charset=utf-8",
        f"zuzycie_{customer_no}_{s['from']}_{s['to']}.csv",
    )


def invoices_csv(principal: Principal, customer_no: str) -> Download:
    from chalicelib.render import consumption_csv as render
    from chalicelib.services import invoices

    listed = invoices.list_invoices(principal, customer_no)["invoices"]
    return Download(
        render.invoices_csv(listed), "text/csv; charset=utf-8", f"faktury_{customer_no}.csv"
    )


def espi_feed(principal: Principal, customer_no: str, query: Mapping[str, str]) -> Download:
    from chalicelib.render import espi

    s = consumption.series(principal, customer_no, {**query, "group_by": "month"})
    return Download(
        espi.feed(customer_no, s, datetime.combine(consumption.today(), time(0), UTC)),
        "application/atom+xml",
        f"green_button_{customer_no}.xml",
    )
