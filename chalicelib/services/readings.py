"""Meter readings: customer self-reading (podaj odczyt), remote readings imported by
operators (CSV), review of implausible readings, current reading and history per meter.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from chalicelib import i18n
from chalicelib.domain import clock
from chalicelib.domain import readings as rd
from chalicelib.domain.principal import STAFF, Principal
from chalicelib.errors import (
    Conflict,
    FieldError,
    Forbidden,
    NotFound,
    Unprocessable,
    ValidationFailed,
)
from chalicelib.observability import logger, metrics
from chalicelib.services import paging
from chalicelib.services.access import require_customer
from chalicelib.store import readings as store
from chalicelib.store.customers import Meter
from chalicelib.store.readings import Reading

MAX_VALUE = Decimal("99999999.999")
MAX_DAYS_BACK = 14
MAX_CSV_ROWS = 5000
REGISTER_COLUMNS = ("heat_gj", "water_m3", "total", "day", "night")
HEADER_ALIASES = {
    "numer_licznika": "serial",
    "licznik": "serial",
    "data_odczytu": "read_on",
    "data": "read_on",
    "wymiana": "meter_change",
}


def _today() -> date:
    return clock.to_warsaw(clock.now()).date()


def parse_value(raw: Any) -> Decimal | None:
    """'1234,567' or '1234.567' → Decimal; None when not a valid meter value."""
    if raw is None or isinstance(raw, bool):
        return None
    text = str(raw).strip().replace(" ", "").replace("\u00a0", "").replace(",", ".")
    if not text:
        return None
    try:
        value = Decimal(text)
    except InvalidOperation:
        return None
    if not value.is_finite() or value < 0 or value > MAX_VALUE:
        return None
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -3:
        return None
    return value


def _fmt(value: Decimal) -> str:
    return format(value.normalize(), "f").replace(".", ",")


def _fmt_date(d: date) -> str:
    return d.strftime("%d.%m.%Y")


def _points(readings: Sequence[Reading]) -> list[rd.Point]:
    return [store.point_of(r) for r in readings if r.status == rd.ACCEPTED]


def _settles(
    history: Sequence[Reading], new_key: str, prev_actual_key: str | None
) -> list[Reading]:
    """Estimates made since the previous actual reading, settled by this one."""
    return [
        r
        for r in history
        if r.kind == rd.ESTIMATE
        and r.status == rd.ACCEPTED
        and not r.reconciled_by
        and r.key < new_key
        and (prev_actual_key is None or r.key > prev_actual_key)
    ]


def _new_reading(
    meter: Meter,
    read_on: date,
    kind: str,
    values: dict[str, Decimal],
    by: str,
    status: str,
    reason: str | None,
    old: dict[str, Decimal] | None = None,
) -> Reading:
    return store.new_reading(
        meter.serial,
        rd.point_key(read_on, kind),
        customer_no=meter.customer_no,
        contract_no=meter.contract_no,
        read_on=read_on.isoformat(),
        kind=kind,
        status=status,
        values=values,
        created_at=clock.now_iso(),
        old_values_text=store.values_json(old),
        submitted_by=by,
        review_reason=reason,
    )


@dataclass
class Evaluation:
    errors: list[FieldError] = field(default_factory=list)
    status: str = rd.ACCEPTED
    reason: str | None = None
    settles: list[Reading] = field(default_factory=list)


def evaluate(
    meter: Meter,
    history: Sequence[Reading],
    read_on: date,
    kind: str,
    values: dict[str, Decimal],
    field_prefix: str = "values.",
) -> Evaluation:
    """The rules every new reading passes: not below the previous actual reading (unless it
    records a meter change), no actual reading after it, plausibility against the meter's own
    history (implausible → review, not refused)."""
    import json

    ev = Evaluation()
    points = _points(history)
    later = [p for p in points if p.actual and p.read_on > read_on]
    if later and kind != rd.CHANGE:
        ev.errors.append(
            FieldError("read_on", "readings.later_exists", {"date": _fmt_date(later[-1].read_on)})
        )
        return ev
    new = rd.Point(read_on=read_on, values=values, kind=kind, key=rd.point_key(read_on, kind))
    check = rd.check_new(points, new, store.registers_of(meter))
    prev = rd.previous_actual(points, read_on)
    for reg, previous in check.below.items():
        assert prev is not None
        ev.errors.append(
            FieldError(
                f"{field_prefix}{reg}",
                "readings.below_previous",
                {
                    "value": _fmt(values[reg]),
                    "previous": _fmt(previous),
                    "date": _fmt_date(prev.read_on),
                },
            )
        )
    if ev.errors:
        return ev
    if check.implausible:
        ev.status = rd.REVIEW
        ev.reason = json.dumps({k: str(v) for k, v in check.implausible.items()})
    ev.settles = _settles(history, new.key, prev.key if prev else None)
    return ev


def _meter_public(m: Meter) -> dict[str, Any]:
    return {
        "serial": m.serial,
        "contract_no": m.contract_no,
        "product": m.product,
        "registers": store.registers_of(m),
    }


def _owned_meter(principal: Principal, customer_no: str, serial: str) -> Meter:
    require_customer(principal, customer_no)
    meter = store.customer_meter(customer_no, serial)
    if meter is None:
        raise NotFound()
    return meter


def meter_readings(
    principal: Principal, customer_no: str, serial: str, query: Mapping[str, str] | None = None
) -> dict[str, Any]:
    """One page of a meter's readings, newest first (``limit``, ``cursor``; ``next`` names
    the following page), and its current reading: GetItem of the meter, one Query for the
    page and, unless the page shows it, one Query that stops at the newest actual reading.
    Bounded by the page, not by the meter's history. ``premises``: nothing unless the meter
    is at that premises."""
    meter = _owned_meter(principal, customer_no, serial)
    elsewhere = paging.premises_of(query) not in (None, meter.premises_id)
    if elsewhere:  # the list is filtered to another premises: none of this meter's readings
        return {"meter": _meter_public(meter), "current": None, "readings": [], "next": None}
    page = paging.paged(
        lambda: store.readings_page(serial, paging.limit_of(query), paging.cursor_of(query))
    )
    current = None
    if paging.cursor_of(query) is None:
        current = next(
            (r for r in page.items if r.status == rd.ACCEPTED and r.kind in rd.ACTUAL_KINDS), None
        )
    if current is None:
        current = store.latest_actual(serial)
    return {
        "meter": _meter_public(meter),
        "current": None if current is None else current.public(),
        "readings": [r.public() for r in page.items],
        "next": page.cursor,
    }


def _self_reading_date(body: Mapping[str, Any], errors: list[FieldError]) -> date:
    """The day read (today unless given): not in the future, at most MAX_DAYS_BACK old."""
    today = _today()
    read_on = today
    if body.get("read_on"):
        try:
            read_on = date.fromisoformat(str(body["read_on"]))
        except ValueError:
            errors.append(FieldError("read_on", "readings.bad_date"))
    if read_on > today:
        errors.append(FieldError("read_on", "readings.future_date"))
    elif read_on < today - timedelta(days=MAX_DAYS_BACK):
        errors.append(FieldError("read_on", "readings.too_old", {"days": MAX_DAYS_BACK}))
    return read_on


def _self_reading_values(
    meter: Meter, raw_values: Mapping[str, Any], errors: list[FieldError]
) -> dict[str, Decimal]:
    """A value for every register of the meter, and no other register."""
    registers = store.registers_of(meter)
    values: dict[str, Decimal] = {}
    for reg in raw_values:
        if reg not in registers:
            errors.append(FieldError(f"values.{reg}", "readings.unknown_register"))
    for reg in registers:
        if reg not in raw_values or raw_values[reg] in (None, ""):
            errors.append(FieldError(f"values.{reg}", "field.required"))
            continue
        value = parse_value(raw_values[reg])
        if value is None:
            errors.append(FieldError(f"values.{reg}", "readings.bad_value"))
        else:
            values[reg] = value
    return values


def _replayed(same: Reading | None, values: dict[str, Decimal]) -> Reading | None:
    """The stored reading of that day when it has the same values (a replay); a
    different one is a conflict."""
    if same is None:
        return None
    if same.values == values:
        return same
    raise Conflict("readings.already_submitted")


def submit_self_reading(
    principal: Principal, customer_no: str, serial: str, body: Mapping[str, Any]
) -> tuple[dict[str, Any], bool]:
    """Podaj odczyt. Returns (reading, created); a replay of the same values is not created
    again. Refused (nothing stored) below the previous reading."""
    meter = _owned_meter(principal, customer_no, serial)
    errors: list[FieldError] = []
    kind, why = _entry_kind(principal, body, errors)
    read_on = _self_reading_date(body, errors)
    values = _self_reading_values(meter, body.get("values") or {}, errors)
    if errors:
        raise ValidationFailed(errors=errors)

    history = _basis_for(kind, store.history(serial), read_on)
    key = rd.point_key(read_on, kind)
    same = _replayed(next((r for r in history if r.key == key), None), values)
    if same is not None:
        return _answer(same), False
    ev = evaluate(meter, history, read_on, kind, values)
    if ev.errors:
        metrics.add_metric(name="ReadingsRefused", unit="Count", value=1)
        raise Unprocessable("readings.refused", errors=ev.errors)
    reading = _new_reading(meter, read_on, kind, values, principal.username, ev.status, ev.reason)
    reading.entry_reason = why
    if not store.add_reading(reading, ev.settles):
        existing = _replayed(store.get_reading(serial, key), values)
        if existing is None:
            raise Conflict("readings.already_submitted")
        return _answer(existing), False
    metrics.add_metric(name="SelfReadings", unit="Count", value=1)
    logger.info("self-reading stored", extra={"serial": serial, "status": reading.status})
    if kind == rd.STAFF:
        _audit_staff_reading(principal.username, meter, reading)
    return _answer(reading), True


def _entry_kind(
    principal: Principal, body: Mapping[str, Any], errors: list[FieldError]
) -> tuple[str, str | None]:
    """Staff entering a reading for the customer record it as ``staff`` with a reason
    (never as the customer's own, which would block the customer's reading that day)."""
    if principal.role not in STAFF | {"account_manager"}:
        return rd.CUSTOMER, None
    why = str(body.get("reason") or "").strip()
    if len(why) < 3:
        errors.append(FieldError("reason", "readings.staff_reason_required"))
    return rd.STAFF, why


def _basis_for(kind: str, history: list[Reading], read_on: date) -> list[Reading]:
    """What a new reading is checked against. The customer's own reading supersedes a
    staff-entered one of the same day (it is neither compared with it nor blocked by it);
    a staff reading is not entered over the customer's own of that day."""
    day = read_on.isoformat()
    if kind == rd.CUSTOMER:
        return [r for r in history if not (r.kind == rd.STAFF and r.read_on == day)]
    if any(r.kind == rd.CUSTOMER and r.read_on == day for r in history):
        raise Conflict("readings.customer_reading_exists")
    return history


def _audit_staff_reading(actor: str, meter: Meter, reading: Reading) -> None:
    from chalicelib.services import audit
    from chalicelib.store.customers import customer_target

    audit.record(
        actor,
        "reading.staff_entered",
        customer_target(meter.customer_no),
        None,
        {
            "serial": meter.serial,
            "read_on": reading.read_on,
            "values": {k: f"{v:f}" for k, v in reading.values.items()},
            "reason": reading.entry_reason,
            "status": reading.status,
        },
    )


def _answer(r: Reading) -> dict[str, Any]:
    return {
        **r.public(),
        "message_key": "readings.in_review" if r.status == rd.REVIEW else "readings.accepted",
    }


# --- operators: CSV import of remote readings ------------------------------------------


def _decode(raw: bytes | str) -> str:
    if isinstance(raw, bytes):
        try:
            return raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationFailed("readings.csv_encoding") from None
    return raw.lstrip("\ufeff")


def _rows(text: str) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    lines = text.splitlines()
    if not lines or not lines[0].strip():
        raise ValidationFailed("readings.csv_header")
    delimiter = ";" if lines[0].count(";") >= lines[0].count(",") else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    header_raw = next(reader, None) or []
    header = [HEADER_ALIASES.get(h.strip().lower(), h.strip().lower()) for h in header_raw]
    if "serial" not in header or "read_on" not in header or not set(header) & set(REGISTER_COLUMNS):
        raise ValidationFailed("readings.csv_header")
    rows = []
    for line_no, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        rows.append(
            (
                line_no,
                {h: (cells[i].strip() if i < len(cells) else "") for i, h in enumerate(header)},
            )
        )
        if len(rows) > MAX_CSV_ROWS:
            raise ValidationFailed("readings.csv_too_large", rows=MAX_CSV_ROWS)
    if not rows:
        raise ValidationFailed("readings.csv_empty")
    return header, rows


def _csv_values(
    row: Mapping[str, str], meter: Meter, change: bool, errors: list[FieldError]
) -> tuple[dict[str, Decimal], dict[str, Decimal]]:
    """The register values of a CSV row and, for a meter change, the old meter's."""
    registers = store.registers_of(meter)
    values: dict[str, Decimal] = {}
    old: dict[str, Decimal] = {}
    for reg in REGISTER_COLUMNS:
        cell = row.get(reg, "")
        if reg not in registers:
            if cell:
                errors.append(FieldError(reg, "readings.unknown_register"))
            continue
        value = parse_value(cell) if cell else None
        if not cell:
            errors.append(FieldError(reg, "field.required"))
        elif value is None:
            errors.append(FieldError(reg, "readings.bad_value"))
        else:
            values[reg] = value
        if change and row.get(f"old_{reg}"):
            old_value = parse_value(row[f"old_{reg}"])
            if old_value is None:
                errors.append(FieldError(f"old_{reg}", "readings.bad_value"))
            else:
                old[reg] = old_value
    return values, old


@dataclass
class _CsvRow:
    """A CSV row that passed its own checks, ready to be checked against the history."""

    line: int
    meter: Meter
    read_on: date
    kind: str
    values: dict[str, Decimal]
    old: dict[str, Decimal]


@dataclass
class _Import:
    """One CSV import: meters and histories read once, the tally and the rejected rows."""

    username: str
    lang: str
    today: date = field(default_factory=_today)
    meters: dict[str, Meter | None] = field(default_factory=dict)
    histories: dict[str, list[Reading]] = field(default_factory=dict)
    seen: set[tuple[str, str]] = field(default_factory=set)
    accepted: int = 0
    review: int = 0
    duplicates: int = 0
    rejected: list[dict[str, Any]] = field(default_factory=list)

    def reject(self, line: int, serial: str, errors: list[FieldError]) -> None:
        self.rejected.append(
            {
                "line": line,
                "serial": serial,
                "errors": [
                    {
                        "field": e.field,
                        "code": e.key,
                        "message": i18n.t(e.key, self.lang, **e.params),
                    }
                    for e in errors
                ],
            }
        )

    def _meter(self, serial: str) -> Meter | None:
        if serial not in self.meters:
            self.meters[serial] = store.find_meter(serial) if serial else None
        return self.meters[serial]

    def parse(self, line: int, row: Mapping[str, str]) -> _CsvRow | None:
        """The row's own checks (meter, date, values, duplicate in the file)."""
        serial = row.get("serial", "")
        meter = self._meter(serial)
        if meter is None:
            self.reject(line, serial, [FieldError("serial", "readings.unknown_meter")])
            return None
        try:
            read_on = date.fromisoformat(row.get("read_on", ""))
        except ValueError:
            self.reject(line, serial, [FieldError("read_on", "readings.bad_date")])
            return None
        errors: list[FieldError] = []
        if read_on > self.today:
            errors.append(FieldError("read_on", "readings.future_date"))
        change = row.get("meter_change", "").lower() in ("1", "tak", "yes", "true")
        kind = rd.CHANGE if change else rd.REMOTE
        values, old = _csv_values(row, meter, change, errors)
        if (serial, f"{read_on}#{kind}") in self.seen:
            errors.append(FieldError("read_on", "readings.duplicate_row"))
        if errors:
            self.reject(line, serial, errors)
            return None
        self.seen.add((serial, f"{read_on}#{kind}"))
        return _CsvRow(line, meter, read_on, kind, values, old)

    def _history(self, serial: str) -> list[Reading]:
        if serial not in self.histories:
            self.histories[serial] = store.history(serial)
        return self.histories[serial]

    def store_row(self, r: _CsvRow) -> None:
        """Check the row against the meter's history and store it."""
        serial = r.meter.serial
        history = self._history(serial)
        key = rd.point_key(r.read_on, r.kind)
        same = next((x for x in history if x.key == key), None)
        if same is not None:
            if same.values == r.values:
                self.duplicates += 1
            else:
                self.reject(r.line, serial, [FieldError("read_on", "readings.conflict")])
            return
        ev = evaluate(r.meter, history, r.read_on, r.kind, r.values, field_prefix="")
        if ev.errors:
            self.reject(r.line, serial, ev.errors)
            return
        reading = _new_reading(
            r.meter, r.read_on, r.kind, r.values, self.username, ev.status, ev.reason, r.old or None
        )
        if not store.add_reading(reading, ev.settles):
            self.duplicates += 1
            return
        for est in ev.settles:
            est.reconciled_by = reading.key
        history.append(reading)
        history.sort(key=lambda x: x.key)
        if reading.status == rd.REVIEW:
            self.review += 1
        else:
            self.accepted += 1


def import_csv(principal: Principal, raw: bytes | str, lang: str = "pl") -> dict[str, Any]:
    """Remote readings, one row per meter and day (``serial;read_on;<registers>``, optional
    ``meter_change`` = 1 and ``old_<register>`` for a meter change). Every row is checked on
    its own: good rows are stored, the report lists the rejected ones with reasons. A row
    already imported with the same values counts as a duplicate (importing a file twice
    changes nothing)."""
    _, rows = _rows(_decode(raw))
    run = _Import(principal.username, lang)
    # Oldest first per meter, so each row is checked against the ones before it.
    ordered = sorted(rows, key=lambda r: (r[1].get("serial", ""), r[1].get("read_on", ""), r[0]))
    for line, row in ordered:
        parsed = run.parse(line, row)
        if parsed is not None:
            run.store_row(parsed)
    run.rejected.sort(key=lambda r: int(r["line"]))
    metrics.add_metric(name="RemoteReadingsImported", unit="Count", value=run.accepted + run.review)
    logger.info(
        "remote readings imported",
        extra={
            "rows": len(rows),
            "accepted": run.accepted,
            "review": run.review,
            "rejected": len(run.rejected),
        },
    )
    return {
        "rows": len(rows),
        "accepted": run.accepted,
        "review": run.review,
        "duplicates": run.duplicates,
        "rejected": run.rejected,
    }


# --- operators: review ----------------------------------------------------------------


def review_queue() -> dict[str, Any]:
    return {
        "readings": [
            {
                **r.public(),
                "serial": r.serial,
                "customer_no": r.customer_no,
                "reason": r.review_reason,
            }
            for r in store.readings_for_review()
        ]
    }


def decide(principal: Principal, serial: str, reading_id: str, decision: str) -> dict[str, Any]:
    key = reading_id[::-1].replace("-", "#", 1)[::-1]  # 2026-11-30-C → 2026-11-30#C
    reading = store.get_reading(serial, key)
    if reading is None:
        raise NotFound()
    if reading.status != rd.REVIEW:
        raise Conflict("readings.not_in_review")
    if reading.kind == rd.STAFF and reading.submitted_by == principal.username:
        raise Forbidden("readings.four_eyes_same_person")  # another person decides
    status = rd.ACCEPTED if decision == "accept" else rd.REJECTED
    if not store.decide(reading, status, principal.username, clock.now_iso()):
        raise Conflict("readings.not_in_review")
    reading.status = status
    return {**reading.public(), "serial": serial}
