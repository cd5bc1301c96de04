"""Green Button (ESPI) Atom feed of a customer's monthly usage: per contract a UsagePoint,
its MeterReading, one ReadingType per register and one IntervalBlock of monthly
IntervalReadings (value in the register's base unit × 10^powerOfTenMultiplier, cost in
1/100 000 of the currency, estimated months with ReadingQuality 8). Valid against
``schemas/espi/espi.xsd``. ``xml.etree`` is imported lazily (cold start)."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

ATOM = "http://www.w3.org/2005/Atom"
ESPI = "http://naesb.org/espi"
WARSAW = ZoneInfo("Europe/Warsaw")
SERVICE_KIND = {"electricity": "0", "heat": "4"}  # ESPI ServiceKind
# register → (uom, powerOfTenMultiplier, scale to integer value, commodity)
UNITS = {
    "heat_gj": ("31", "6", Decimal(1000), "0"),  # J × 10^6 (MJ)
    "cwu_gj": ("31", "6", Decimal(1000), "0"),
    "water_m3": ("42", "-3", Decimal(1000), "0"),  # m³ × 10^-3 (litres)
    "total": ("72", "0", Decimal(1000), "1"),  # Wh
    "day": ("72", "0", Decimal(1000), "1"),
    "night": ("72", "0", Decimal(1000), "1"),
}
PLN = "985"
ESTIMATED = "8"
NS = uuid.UUID("6f1c2c7e-3b1d-4c55-9a55-2f1e7d1b0e11")


def _urn(*parts: str) -> str:
    return f"urn:uuid:{uuid.uuid5(NS, '/'.join(parts))}"


def _epoch(month: str) -> int:
    return int(datetime(int(month[:4]), int(month[5:7]), 1, tzinfo=WARSAW).timestamp())


def _month_seconds(month: str) -> int:
    y, m = int(month[:4]), int(month[5:7])
    nxt = f"{y + (m == 12):04d}-{m % 12 + 1:02d}"
    return _epoch(nxt) - _epoch(month)


def feed(customer_no: str, series: Mapping[str, Any], updated: datetime) -> bytes:
    """The ESPI feed of a consumption series (``services.consumption.series`` by month)."""
    import xml.etree.ElementTree as ET

    ET.register_namespace("", ATOM)
    stamp = updated.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    root = ET.Element(f"{{{ATOM}}}feed")
    _text(root, "id", _urn("feed", customer_no))
    _text(root, "title", f"eBOK — dane zużycia klienta {customer_no} (Green Button)")
    _text(root, "updated", stamp)
    _link(root, "self", f"/espi/1_1/resource/Subscription/{customer_no}", "espi-feed/Subscription")
    for contract in series["contracts"]:
        _contract_entries(root, customer_no, contract, stamp)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))


def _text(parent: Any, tag: str, value: str, ns: str = ATOM) -> Any:
    import xml.etree.ElementTree as ET

    el = ET.SubElement(parent, f"{{{ns}}}{tag}")
    el.text = value
    return el


def _link(parent: Any, rel: str, href: str, kind: str) -> None:
    import xml.etree.ElementTree as ET

    ET.SubElement(parent, f"{{{ATOM}}}link", {"rel": rel, "href": href, "type": kind})


def _entry(
    root: Any,
    key: str,
    title: str,
    self_href: str,
    up_href: str,
    kind: str,
    stamp: str,
    related: Sequence[str] = (),
) -> Any:
    import xml.etree.ElementTree as ET

    entry = ET.SubElement(root, f"{{{ATOM}}}entry")
    _text(entry, "id", _urn(key))
    _link(entry, "self", self_href, f"espi-entry/{kind}")
    _link(entry, "up", up_href, f"espi-feed/{kind}")
    for href in related:
        _link(entry, "related", href, "espi-feed/related")
    _text(entry, "title", title)
    content = ET.SubElement(entry, f"{{{ATOM}}}content")
    _text(entry, "published", stamp)
    _text(entry, "updated", stamp)
    return content


def _contract_entries(root: Any, customer_no: str, contract: Mapping[str, Any], stamp: str) -> None:
    import xml.etree.ElementTree as ET

    cno = contract["contract_no"]
    point = f"/espi/1_1/resource/RetailCustomer/{customer_no}/UsagePoint/{_safe(cno)}"
    registers = sorted({r for row in contract["rows"] for r in row["usage"] if r in UNITS})
    content = _entry(
        root,
        f"up/{customer_no}/{cno}",
        f"Umowa {cno}",
        point,
        point.rsplit("/", 1)[0],
        "UsagePoint",
        stamp,
        [f"{point}/MeterReading"],
    )
    up = ET.SubElement(content, f"{{{ESPI}}}UsagePoint")
    cat = ET.SubElement(up, f"{{{ESPI}}}ServiceCategory")
    _text(cat, "kind", SERVICE_KIND.get(str(contract.get("product")), "0"), ESPI)
    for reg in registers:
        mr = f"{point}/MeterReading/{reg}"
        rt = f"/espi/1_1/resource/ReadingType/{_safe(cno)}-{reg}"
        c = _entry(
            root,
            f"mr/{customer_no}/{cno}/{reg}",
            f"{cno} {reg}",
            mr,
            f"{point}/MeterReading",
            "MeterReading",
            stamp,
            [rt, f"{mr}/IntervalBlock"],
        )
        ET.SubElement(c, f"{{{ESPI}}}MeterReading")
        _reading_type(root, cno, reg, rt, stamp)
        _interval_block(root, customer_no, cno, reg, mr, contract["rows"], stamp)


def _safe(contract_no: str) -> str:
    return contract_no.replace("/", "-")


def _reading_type(root: Any, cno: str, reg: str, href: str, stamp: str) -> None:
    import xml.etree.ElementTree as ET

    uom, power, _, commodity = UNITS[reg]
    c = _entry(
        root,
        f"rt/{cno}/{reg}",
        f"Typ odczytu {reg}",
        href,
        "/espi/1_1/resource/ReadingType",
        "ReadingType",
        stamp,
    )
    rt = ET.SubElement(c, f"{{{ESPI}}}ReadingType")
    for tag, value in (
        ("accumulationBehaviour", "4"),  # delta data: use in the interval
        ("commodity", commodity),
        ("currency", PLN),
        ("dataQualifier", "12"),
        ("flowDirection", "1"),
        ("intervalLength", "2592000"),  # a month (30 days); each reading has its own
        ("kind", "12"),  # energy
        ("phase", "0"),
        ("powerOfTenMultiplier", power),
        ("timeAttribute", "0"),
        ("uom", uom),
    ):
        _text(rt, tag, value, ESPI)


def _interval_block(
    root: Any,
    customer_no: str,
    cno: str,
    reg: str,
    mr: str,
    rows: Sequence[Mapping[str, Any]],
    stamp: str,
) -> None:
    import xml.etree.ElementTree as ET

    rows = [r for r in rows if reg in r["usage"]]
    if not rows:
        return
    scale = UNITS[reg][2]
    c = _entry(
        root,
        f"ib/{customer_no}/{cno}/{reg}",
        "",
        f"{mr}/IntervalBlock/1",
        f"{mr}/IntervalBlock",
        "IntervalBlock",
        stamp,
    )
    block = ET.SubElement(c, f"{{{ESPI}}}IntervalBlock")
    start = _epoch(rows[0]["period"])
    end = _epoch(rows[-1]["period"]) + _month_seconds(rows[-1]["period"])
    interval = ET.SubElement(block, f"{{{ESPI}}}interval")
    _text(interval, "duration", str(end - start), ESPI)
    _text(interval, "start", str(start), ESPI)
    for row in rows:
        reading = ET.SubElement(block, f"{{{ESPI}}}IntervalReading")
        cost = row.get("cost")
        if cost and reg in ("heat_gj", "total"):  # the contract's cost once, on its main register
            _text(reading, "cost", str(int(cost["gross"]) * 1000), ESPI)
        if row["estimated"]:
            quality = ET.SubElement(reading, f"{{{ESPI}}}ReadingQuality")
            _text(quality, "quality", ESTIMATED, ESPI)
        period = ET.SubElement(reading, f"{{{ESPI}}}timePeriod")
        _text(period, "duration", str(_month_seconds(row["period"])), ESPI)
        _text(period, "start", str(_epoch(row["period"])), ESPI)
        _text(reading, "value", str(int(Decimal(row["usage"][reg]) * scale)), ESPI)
