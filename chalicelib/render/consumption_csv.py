"""CSV exports in Polish spreadsheet conventions: ``;`` separator, decimal comma, UTF-8 with
a BOM (so Excel opens Polish letters correctly), CRLF line ends, Polish headers."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

BOM = "\ufeff"


class PolishDialect(csv.Dialect):
    delimiter = ";"
    quotechar = '"'
    doublequote = True
    skipinitialspace = False
    lineterminator = "\r\n"
    quoting = csv.QUOTE_MINIMAL


csv.register_dialect("pl", PolishDialect)


def decimal_comma(value: Any) -> str:
    """``"12.345"`` → ``"12,345"``; None → empty cell."""
    return "" if value is None else str(value).replace(".", ",")


def zl(grosze: int | None) -> str:
    """Grosze as złoty with a decimal comma, no grouping: ``123456`` → ``1234,56``."""
    if grosze is None:
        return ""
    sign = "-" if grosze < 0 else ""
    whole, part = divmod(abs(int(grosze)), 100)
    return f"{sign}{whole},{part:02d}"


def _write(header: Sequence[str], rows: Iterable[Sequence[str]]) -> bytes:
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, dialect="pl")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


REGISTER_LABELS = {
    "heat_gj": "Ciepło [GJ]",
    "water_m3": "Nośnik [m³]",
    "cwu_gj": "CWU [GJ]",
    "total": "Energia [kWh]",
    "day": "Strefa dzienna [kWh]",
    "night": "Strefa nocna [kWh]",
}


def consumption_csv(contracts: Sequence[Mapping[str, Any]]) -> bytes:
    """One line per contract and period of a consumption series (``services.consumption``)."""
    registers = sorted({r for c in contracts for row in c["rows"] for r in row["usage"]})
    header = [
        "Umowa",
        "Okres",
        *(REGISTER_LABELS.get(r, r) for r in registers),
        "Odczyt szacowany",
        "Netto [zł]",
        "VAT [zł]",
        "Brutto [zł]",
        "Opłaty stałe netto [zł]",
        "Opłaty zmienne netto [zł]",
        "Źródło kosztu",
    ]
    lines = []
    for c in contracts:
        for row in c["rows"]:
            cost = row["cost"] or {}
            lines.append(
                [
                    c["contract_no"],
                    row["period"],
                    *(decimal_comma(row["usage"].get(r)) for r in registers),
                    "tak" if row["estimated"] else "nie",
                    zl(cost.get("net")),
                    zl(cost.get("vat")),
                    zl(cost.get("gross")),
                    zl(cost.get("fixed_net")),
                    zl(cost.get("variable_net")),
                    {"invoice": "faktura", "tariff": "szacunek wg taryfy"}.get(
                        cost.get("source", ""), ""
                    ),
                ]
            )
    return _write(header, lines)


def invoices_csv(invoices: Sequence[Mapping[str, Any]]) -> bytes:
    """The customer's invoices (``services.invoices.list_invoices`` summaries)."""
    header = [
        "Numer faktury",
        "Rodzaj",
        "Umowa",
        "Okres rozliczeniowy",
        "Od",
        "Do",
        "Data wystawienia",
        "Termin płatności",
        "Netto [zł]",
        "VAT [zł]",
        "Brutto [zł]",
        "Do zapłaty [zł]",
        "Status",
    ]
    kinds = {"invoice": "faktura VAT", "correction": "faktura korygująca"}
    lines = [
        [
            i["number"],
            kinds.get(i["kind"], i["kind"]),
            i["contract_no"],
            i["period"],
            i["period_from"],
            i["period_to"],
            i["issue_date"],
            i["due_date"],
            zl(i["net"]),
            zl(i["vat"]),
            zl(i["gross"]),
            zl(i["outstanding"]),
            i["status"],
        ]
        for i in invoices
    ]
    return _write(header, lines)
