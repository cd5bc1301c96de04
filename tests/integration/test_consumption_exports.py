"""Exports: CSV in the Polish dialect that sums to the invoices, Green Button (ESPI) feed
valid against the shared XSD (offline), ownership and bad input."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest

from tests.integration.consumption_helpers import heat_history
from tests.integration.invoicing_helpers import load_tariffs, put_reading

ESPI_XSD = Path(__file__).resolve().parents[3] / "shared" / "schemas" / "espi" / "espi.xsd"


@pytest.fixture
def invoiced(world):
    from chalicelib.services import consumption, invoicing

    load_tariffs()
    heat_history(world, first="2025-12", last="2026-08")
    put_reading(
        "HM-100001",
        world.individual,
        "C-100001-H",
        "2026-09-15",
        kind="estimate",
        heat_gj="147.500",
        water_m3="14.750",
    )
    put_reading(
        "HM-100001",
        world.individual,
        "C-100001-H",
        "2026-09-30",
        heat_gj="148.000",
        water_m3="14.800",
    )
    put_reading(
        "HM-100001",
        world.individual,
        "C-100001-H",
        "2026-10-31",
        heat_gj="151.000",
        water_m3="15.100",
    )
    for period in ("2026-09", "2026-10"):
        assert invoicing.issue(world.individual, "C-100001-H", period).status == "issued"
    consumption.project(world.individual)
    return world


def _rows(body: bytes) -> list[dict[str, str]]:
    assert body.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))


def _zl(text: str) -> Decimal:
    return Decimal(text.replace(",", "."))


def test_invoices_csv_sums_to_the_invoices(api, invoiced, login_as) -> None:
    w = invoiced
    headers = login_as("customer", [w.individual])
    listed = api.get(f"/customers/{w.individual}/invoices", headers=headers).json["invoices"]
    r = api.get(f"/customers/{w.individual}/exports/invoices.csv", headers=headers)
    assert r.status == 200 and r.headers["Content-Type"].startswith("text/csv")
    assert "attachment" in r.headers["Content-Disposition"]
    rows = _rows(r.body)
    assert len(rows) == len(listed) == 2
    assert sum(_zl(x["Brutto [zł]"]) for x in rows) * 100 == sum(i["gross"] for i in listed)
    assert all("," in x["Netto [zł]"] and "." not in x["Netto [zł]"] for x in rows)


def test_consumption_csv_polish_dialect(api, invoiced, login_as) -> None:
    w = invoiced
    r = api.get(
        f"/customers/{w.individual}/exports/consumption.csv?contract=C-100001-H&from=2026-01&to=2026-10",
        headers=login_as("customer", [w.individual]),
    )
    assert r.status == 200, r.body
    rows = {x["Okres"]: x for x in _rows(r.body)}
    assert rows["2026-01"]["Ciepło [GJ]"] == "9,000"
    assert rows["2026-09"]["Odczyt szacowany"] == "nie"  # the estimate was settled by an actual
    invoiced_rows = [x for x in rows.values() if x["Źródło kosztu"] == "faktura"]
    listed = api.get(
        f"/customers/{w.individual}/invoices", headers=login_as("customer", [w.individual])
    ).json["invoices"]
    assert sum(_zl(x["Brutto [zł]"]) for x in invoiced_rows) * 100 == sum(
        i["gross"] for i in listed
    )


def test_green_button_feed_is_valid_espi(api, invoiced, login_as) -> None:
    import xmlschema

    w = invoiced
    r = api.get(
        f"/customers/{w.individual}/exports/green-button.xml?contract=C-100001-H",
        headers=login_as("customer", [w.individual]),
    )
    assert r.status == 200 and r.headers["Content-Type"] == "application/atom+xml"
    schema = xmlschema.XMLSchema(str(ESPI_XSD))
    schema.validate(r.body.decode("utf-8"))
    text = r.body.decode("utf-8")
    for element in (
        "UsagePoint",
        "MeterReading",
        "ReadingType",
        "IntervalBlock",
        "IntervalReading",
    ):
        assert f"<ns1:{element}" in text or f"<{element}" in text or f":{element}" in text
    again = api.get(
        f"/customers/{w.individual}/exports/green-button.xml?contract=C-100001-H",
        headers=login_as("customer", [w.individual]),
    )
    assert again.body == r.body  # stable ids: a replayed export is the same document


def test_exports_of_another_customer_are_404(api, invoiced, login_as) -> None:
    w = invoiced
    other = login_as("customer", [w.other_individual])
    for path in ("exports/invoices.csv", "exports/consumption.csv", "exports/green-button.xml"):
        assert api.get(f"/customers/{w.individual}/{path}", headers=other).status == 404
    mine = login_as("customer", [w.individual])
    assert (
        api.get(
            f"/customers/{w.individual}/exports/consumption.csv?contract=C-100002-E", headers=mine
        ).status
        == 404
    )
    assert (
        api.get(
            f"/customers/{w.individual}/exports/consumption.csv?from=2026-10&to=2026-01",
            headers=mine,
        ).status
        == 400
    )
