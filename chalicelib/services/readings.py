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
from chalicelib.domain.principal import Principal
from chalicelib.errors import Conflict, FieldError, NotFound, Unprocessable, ValidationFailed
from chalicelib.observability import logger, metrics
from chalicelib.services.access import require_customer
from chalicelib.store import readings as store
from chalicelib.store.customers import Meter
from chalicelib.store.readings import Reading

i18n.register(
    {
        "readings.below_previous": (
            "Odczyt {value} jest niższy niż poprzedni odczyt {previous} z dnia {date}. "
            "Sprawdź wskazanie licznika; jeśli licznik wymieniono, skontaktuj się z nami.",
            "The reading {value} is lower than the previous reading {previous} of {date}. "
            "Check the meter; if the meter was replaced, please contact us.",
        ),
        "readings.refused": (
            "Odczyt nie został przyjęty.",
            "The reading was not accepted.",
        ),
        "readings.bad_value": (
            "Podaj wskazanie licznika jako liczbę nieujemną (najwyżej 3 miejsca po przecinku).",
            "Enter the meter value as a non-negative number (at most 3 decimal places).",
        ),
        "readings.future_date": (
            "Data odczytu nie może być z przyszłości.",
            "The reading date cannot be in the future.",
        ),
        "readings.too_old": (
            "Odczyt można podać najwyżej {days} dni wstecz.",
            "A reading can be at most {days} days old.",
        ),
        "readings.later_exists": (
            "Istnieje już późniejszy odczyt tego licznika (z dnia {date}).",
            "A later reading of this meter exists already (of {date}).",
        ),
        "readings.already_submitted": (
            "Odczyt tego licznika z tego dnia został już podany z innymi wartościami.",
            "A reading of this meter for this day was already submitted with other values.",
        ),
        "readings.unknown_register": (
            "Ten licznik nie ma takiego rejestru.",
            "This meter has no such register.",
        ),
        "readings.unknown_meter": ("Nieznany numer licznika.", "Unknown meter number."),
        "readings.bad_date": (
            "Data odczytu ma postać RRRR-MM-DD.",
            "The reading date must be YYYY-MM-DD.",
        ),
        "readings.csv_header": (
            "Plik CSV musi mieć nagłówek z kolumnami serial i read_on oraz kolumnami rejestrów "
            "(heat_gj, water_m3, total, day, night).",
            "The CSV file needs a header with the columns serial and read_on and register "
            "columns (heat_gj, water_m3, total, day, night).",
        ),
        "readings.csv_empty": ("Plik CSV nie zawiera odczytów.", "The CSV file has no readings."),
        "readings.csv_too_large": (
            "Plik CSV może mieć najwyżej {rows} wierszy.",
            "The CSV file can have at most {rows} rows.",
        ),
        "readings.csv_encoding": (
            "Plik CSV musi być zapisany w UTF-8.",
            "The CSV file must be UTF-8 encoded.",
        ),
        "readings.conflict": (
            "Istnieje już inny odczyt tego licznika z tego dnia.",
            "Another reading of this meter exists for this day.",
        ),
        "readings.duplicate_row": (
            "Ten sam licznik i dzień występują w pliku więcej niż raz.",
            "The same meter and day appear more than once in the file.",
        ),
        "readings.not_in_review": (
            "Ten odczyt nie czeka na weryfikację.",
            "This reading is not waiting for review.",
        ),
        "readings.accepted": ("Odczyt przyjęty.", "Reading accepted."),
        "readings.in_review": (
            "Odczyt znacznie odbiega od dotychczasowego zużycia i został przekazany do "
            "weryfikacji. Skontaktujemy się, jeśli będzie potrzebne wyjaśnienie.",
            "The reading differs a lot from your usual consumption and was passed on for "
            "review. We will contact you if we need to clarify it.",
        ),
    }
)

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
    from chalicelib.services.invoicing import reading_point

    return [reading_point(r) for r in readings if r.status == rd.ACCEPTED]


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
    key = rd.point_key(read_on, kind)
    r = Reading(
        store.meter_pk(meter.serial),
        store.reading_sk(key),
        serial=meter.serial,
        customer_no=meter.customer_no,
        contract_no=meter.contract_no,
        read_on=read_on.isoformat(),
        kind=kind,
        status=status,
        values_text=store.values_json(values) or "{}",
        old_values_text=store.values_json(old),
        submitted_by=by,
        created_at=clock.now_iso(),
        review_reason=reason,
    )
    if status == rd.REVIEW:
        r.GSI1PK = store.REVIEW_INDEX_PK
        r.GSI1SK = f"{r.created_at}#{meter.serial}"
    return r


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


def meter_readings(principal: Principal, customer_no: str, serial: str) -> dict[str, Any]:
    """Current reading and history of one meter (GetItem of the meter, one Query)."""
    meter = _owned_meter(principal, customer_no, serial)
    history = store.history(serial, newest_first=True)
    current = next(
        (r for r in history if r.status == rd.ACCEPTED and r.kind in rd.ACTUAL_KINDS), None
    )
    return {
        "meter": _meter_public(meter),
        "current": None if current is None else current.public(),
        "readings": [r.public() for r in history],
    }


def submit_self_reading(
    principal: Principal, customer_no: str, serial: str, body: Mapping[str, Any]
) -> tuple[dict[str, Any], bool]:
    """Podaj odczyt. Returns (reading, created); a replay of the same values is not created
    again. Refused (nothing stored) below the previous reading."""
    meter = _owned_meter(principal, customer_no, serial)
    errors: list[FieldError] = []
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
    raw_values = body.get("values") or {}
    values: dict[str, Decimal] = {}
    for reg in raw_values:
        if reg not in store.registers_of(meter):
            errors.append(FieldError(f"values.{reg}", "readings.unknown_register"))
    for reg in store.registers_of(meter):
        if reg not in raw_values or raw_values[reg] in (None, ""):
            errors.append(FieldError(f"values.{reg}", "field.required"))
            continue
        value = parse_value(raw_values[reg])
        if value is None:
            errors.append(FieldError(f"values.{reg}", "readings.bad_value"))
        else:
            values[reg] = value
    if errors:
        raise ValidationFailed(errors=errors)

    history = store.history(serial)
    key = rd.point_key(read_on, rd.CUSTOMER)
    same = next((r for r in history if r.key == key), None)
    if same is not None:
        if same.values == values:
            return _answer(same), False
        raise Conflict("readings.already_submitted")
    ev = evaluate(meter, history, read_on, rd.CUSTOMER, values)
    if ev.errors:
        metrics.add_metric(name="ReadingsRefused", unit="Count", value=1)
        raise Unprocessable("readings.refused", errors=ev.errors)
    reading = _new_reading(
        meter, read_on, rd.CUSTOMER, values, principal.username, ev.status, ev.reason
    )
    if not store.add_reading(reading, ev.settles):
        existing = store.get_reading(serial, key)
        if existing is not None and existing.values == values:
            return _answer(existing), False
        raise Conflict("readings.already_submitted")
    metrics.add_metric(name="SelfReadings", unit="Count", value=1)
    logger.info("self-reading stored", extra={"serial": serial, "status": reading.status})
    return _answer(reading), True


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


def import_csv(principal: Principal, raw: bytes | str, lang: str = "pl") -> dict[str, Any]:
    """Remote readings, one row per meter and day (``serial;read_on;<registers>``, optional
    ``meter_change`` = 1 and ``old_<register>`` for a meter change). Every row is checked on
    its own: good rows are stored, the report lists the rejected ones with reasons. A row
    already imported with the same values counts as a duplicate (importing a file twice
    changes nothing)."""
    _, rows = _rows(_decode(raw))
    meters: dict[str, Meter | None] = {}
    histories: dict[str, list[Reading]] = {}
    seen: set[tuple[str, str]] = set()
    accepted = review = duplicates = 0
    rejected: list[dict[str, Any]] = []
    today = _today()

    def reject(line: int, serial: str, errors: list[FieldError]) -> None:
        rejected.append(
            {
                "line": line,
                "serial": serial,
                "errors": [
                    {"field": e.field, "code": e.key, "message": i18n.t(e.key, lang, **e.params)}
                    for e in errors
                ],
            }
        )

    # Oldest first per meter, so each row is checked against the ones before it.
    ordered = sorted(rows, key=lambda r: (r[1].get("serial", ""), r[1].get("read_on", ""), r[0]))
    for line, row in ordered:
        serial = row.get("serial", "")
        errors: list[FieldError] = []
        if serial not in meters:
            meters[serial] = store.find_meter(serial) if serial else None
        meter = meters[serial]
        if meter is None:
            reject(line, serial, [FieldError("serial", "readings.unknown_meter")])
            continue
        try:
            read_on = date.fromisoformat(row.get("read_on", ""))
        except ValueError:
            reject(line, serial, [FieldError("read_on", "readings.bad_date")])
            continue
        if read_on > today:
            errors.append(FieldError("read_on", "readings.future_date"))
        change = row.get("meter_change", "").lower() in ("1", "tak", "yes", "true")
        kind = rd.CHANGE if change else rd.REMOTE
        values: dict[str, Decimal] = {}
        old: dict[str, Decimal] = {}
        for reg in REGISTER_COLUMNS:
            cell = row.get(reg, "")
            if reg not in store.registers_of(meter):
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
        if (serial, f"{read_on}#{kind}") in seen:
            errors.append(FieldError("read_on", "readings.duplicate_row"))
        if errors:
            reject(line, serial, errors)
            continue
        seen.add((serial, f"{read_on}#{kind}"))
        if serial not in histories:
            histories[serial] = store.history(serial)
        history = histories[serial]
        key = rd.point_key(read_on, kind)
        same = next((r for r in history if r.key == key), None)
        if same is not None:
            if same.values == values:
                duplicates += 1
            else:
                reject(line, serial, [FieldError("read_on", "readings.conflict")])
            continue
        ev = evaluate(meter, history, read_on, kind, values, field_prefix="")
        if ev.errors:
            reject(line, serial, ev.errors)
            continue
        reading = _new_reading(
            meter, read_on, kind, values, principal.username, ev.status, ev.reason, old or None
        )
        if not store.add_reading(reading, ev.settles):
            duplicates += 1
            continue
        for est in ev.settles:
            est.reconciled_by = reading.key
        history.append(reading)
        history.sort(key=lambda r: r.key)
        if reading.status == rd.REVIEW:
            review += 1
        else:
            accepted += 1
    rejected.sort(key=lambda r: int(r["line"]))
    metrics.add_metric(name="RemoteReadingsImported", unit="Count", value=accepted + review)
    logger.info(
        "remote readings imported",
        extra={
            "rows": len(rows),
            "accepted": accepted,
            "review": review,
            "rejected": len(rejected),
        },
    )
    return {
        "rows": len(rows),
        "accepted": accepted,
        "review": review,
        "duplicates": duplicates,
        "rejected": rejected,
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
    status = rd.ACCEPTED if decision == "accept" else rd.REJECTED
    if not store.decide(reading, status, principal.username, clock.now_iso()):
        raise Conflict("readings.not_in_review")
    reading.status = status
    return {**reading.public(), "serial": serial}
