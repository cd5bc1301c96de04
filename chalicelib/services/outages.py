"""Outages (wyłączenia): operators create, change and close them; anyone may list them.

Every change is written with its history entry in one transaction, conditional on the
version the operator saw. Creating an outage, changing its expected end and closing it
raise a notice; failure notices are queued for the notifier at once, planned-outage notices
wait out the night (22:00–07:00 Warsaw) and are released by ``release_due_notices``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from chalicelib.adapters import sqs
from chalicelib.config import settings
from chalicelib.domain import clock
from chalicelib.domain import outages as rules
from chalicelib.domain.ids import new_id
from chalicelib.domain.principal import Principal
from chalicelib.errors import Conflict, FieldError, NotFound, ValidationFailed
from chalicelib.observability import logger
from chalicelib.services.access import require_customer
from chalicelib.store import outages as store
from chalicelib.store.customers import Premises
from chalicelib.store.outages import Outage, OutageChange, OutageNotice, StreetAttr
from chalicelib.store.request_keys import find_request, new_request_key

MAX_FEATURES = 500
CLOCK_SKEW = timedelta(minutes=5)
EDITABLE = (
    "kind",
    "product",
    "city",
    "streets",
    "area",
    "starts_at",
    "expected_end_at",
    "description",
)


# --- parsing and validation (everything before the first write) ------------------------


def _time(data: dict[str, Any], name: str, errors: list[FieldError]) -> datetime | None:
    value = data.get(name)
    parsed = rules.parse_time(value) if isinstance(value, str) else None
    if parsed is None:
        errors.append(FieldError(name, "outages.time"))
    return parsed


def _streets(raw: list[dict[str, Any]], errors: list[FieldError]) -> list[rules.Street]:
    streets: list[rules.Street] = []
    seen: set[str] = set()
    for i, s in enumerate(raw):
        name = " ".join(str(s.get("name", "")).split())
        if not rules.street_key(name):
            errors.append(FieldError(f"streets.{i}.name", "field.required"))
            continue
        if rules.street_key(name) in seen:
            errors.append(FieldError(f"streets.{i}.name", "outages.street_twice"))
            continue
        seen.add(rules.street_key(name))
        buildings = tuple(
            dict.fromkeys(
                " ".join(str(b).split()) for b in s.get("buildings") or [] if str(b).strip()
            )
        )
        line = s.get("line")
        if line is not None:
            problem = rules.line_problem(line)
            if problem:
                errors.append(FieldError(f"streets.{i}.line", problem))
                continue
        streets.append(
            rules.Street(
                name=name,
                buildings=buildings,
                line=tuple((float(p[0]), float(p[1])) for p in line) if line else None,
            )
        )
    return streets


def _street_attrs(streets: list[rules.Street]) -> list[StreetAttr]:
    return [
        StreetAttr(
            name=s.name,
            key=s.key,
            buildings=list(s.buildings),
            line=json.dumps([list(p) for p in s.line]) if s.line else None,
        )
        for s in streets
    ]


def _streets_of(outage: Outage) -> list[rules.Street]:
    return [
        rules.Street(
            name=s.name,
            buildings=tuple(str(b) for b in s.buildings or []),
            line=tuple(tuple(p) for p in json.loads(s.line)) if s.line else None,  # type: ignore[misc]
        )
        for s in outage.streets or []
    ]


def _street_dicts(streets: list[rules.Street]) -> list[dict[str, Any]]:
    out = []
    for s in streets:
        item: dict[str, Any] = {"name": s.name, "buildings": list(s.buildings)}
        if s.line:
            item["line"] = [list(p) for p in s.line]
        out.append(item)
    return out


def _validated(data: dict[str, Any], base: dict[str, Any] | None = None) -> dict[str, Any]:
    """The full, checked state of an outage from a request (merged over ``base``)."""
    merged = {**(base or {}), **{k: v for k, v in data.items() if k in EDITABLE}}
    errors: list[FieldError] = []
    city = " ".join(str(merged.get("city", "")).split())
    if not city:
        errors.append(FieldError("city", "field.required"))
    streets = _streets(merged.get("streets") or [], errors)
    if not streets and not any(e.field.startswith("streets") for e in errors):
        errors.append(FieldError("streets", "field.required"))
    area = merged.get("area")
    if area is not None:
        problem = rules.area_problem(area)
        if problem:
            errors.append(FieldError("area", problem))
        else:
            area = rules.area_geometry(area)
    starts = _time(merged, "starts_at", errors)
    ends = _time(merged, "expected_end_at", errors)
    if starts and ends and ends <= starts:
        errors.append(FieldError("expected_end_at", "outages.end_before_start"))
    if errors:
        raise ValidationFailed(errors=errors)
    assert starts is not None and ends is not None
    return {
        "kind": merged["kind"],
        "product": merged["product"],
        "city": city,
        "streets": streets,
        "area": area,
        "starts_at": clock.iso(starts),
        "expected_end_at": clock.iso(ends),
        "description": str(merged.get("description") or "").strip(),
    }


def _state_of(outage: Outage) -> dict[str, Any]:
    """The editable fields as a request would give them (for merging and history)."""
    return {
        "kind": outage.kind,
        "product": outage.product,
        "city": outage.city,
        "streets": _street_dicts(_streets_of(outage)),
        "area": json.loads(outage.area) if outage.area else None,
        "starts_at": outage.starts_at,
        "expected_end_at": outage.expected_end_at,
        "description": outage.description or "",
    }


def _comparable(state: dict[str, Any]) -> dict[str, Any]:
    out = dict(state)
    if (
        isinstance(out.get("streets"), list)
        and out["streets"]
        and isinstance(out["streets"][0], rules.Street)
    ):
        out["streets"] = _street_dicts(out["streets"])
    return out


# --- presentation -----------------------------------------------------------------------


def _phase(outage: Outage, now: datetime) -> str:
    if outage.status == "closed":
        return "ended"
    if clock.parse_iso(outage.starts_at) > now:
        return "upcoming"
    return "ongoing"


def outage_properties(outage: Outage, now: datetime | None = None) -> dict[str, Any]:
    now = now or clock.now()
    starts = clock.parse_iso(outage.starts_at)
    ends = clock.parse_iso(outage.expected_end_at)
    return {
        "outage_id": outage.outage_id,
        "kind": outage.kind,
        "product": outage.product,
        "city": outage.city,
        "streets": [{"name": s.name, "buildings": list(s.buildings or [])} for s in outage.streets],
        "starts_at": outage.starts_at,
        "expected_end_at": outage.expected_end_at,
        "ended_at": outage.ended_at,
        "status": outage.status,
        "phase": _phase(outage, now),
        "planned_duration_minutes": rules.duration_minutes(starts, ends),
        "description": outage.description or "",
        "version": int(outage.version),
        "updated_at": outage.updated_at,
    }


def feature(outage: Outage, now: datetime | None = None) -> dict[str, Any]:
    area = json.loads(outage.area) if outage.area else None
    return {
        "type": "Feature",
        "id": outage.outage_id,
        "geometry": rules.geometry(area, _streets_of(outage)),
        "properties": outage_properties(outage, now),
    }


# --- notices ----------------------------------------------------------------------------


def _notice(outage: Outage, event: str, event_id: str, now: datetime) -> OutageNotice:
    due = clock.iso(rules.notice_due_at(outage.kind, now))
    return store.new_notice(outage, event, event_id, due, clock.iso(now))


def _dispatch(notice: OutageNotice, now: datetime) -> None:
    """Queue a notice that is due; one that is not (night) waits for the release job. A
    failed send leaves it pending, and the release job picks it up."""
    if notice.due_at > clock.iso(now):
        return
    try:
        sqs.send_batch(
            settings().notifier_queue,
            [{"outage_id": notice.outage_id, "event_id": notice.event_id}],
        )
    except Exception:
        logger.exception(
            "notice not queued; the release job retries", extra={"outage": notice.outage_id}
        )
        return
    store.mark_queued(notice, clock.iso(now))


def release_due_notices(now: datetime | None = None) -> int:
    """Queue every pending notice whose time has come (the scheduled job)."""
    now = now or clock.now()
    due = list(store.due_notices(clock.iso(now)))
    if not due:
        return 0
    sqs.send_batch(
        settings().notifier_queue,
        [{"outage_id": n.outage_id, "event_id": n.event_id} for n in due],
    )
    released = 0
    for n in due:
        if store.mark_queued(n, clock.iso(now)):
            released += 1
    logger.info("released outage notices", extra={"count": released})
    return released


# --- use cases ----------------------------------------------------------------------------


def create_outage(principal: Principal, data: dict[str, Any]) -> tuple[dict[str, Any], bool]:
    """(feature, created). A repeated ``request_id`` answers the outage it created."""
    request_id = data.get("request_id")
    if request_id:
        earlier = find_request("outage", request_id, principal.username)
        if earlier:
            existing = store.get_outage(earlier)
            if existing is not None:
                return feature(existing), False
    state = _validated(data)
    now = clock.now()
    outage_id = new_id()
    city_key = rules.city_key(state["city"])
    outage = store.new_outage(
        outage_id,
        kind=state["kind"],
        product=state["product"],
        city=state["city"],
        city_key=city_key,
        streets=_street_attrs(state["streets"]),
        area=json.dumps(state["area"]) if state["area"] else None,
        starts_at=state["starts_at"],
        expected_end_at=state["expected_end_at"],
        ended_at=None,
        status="open",
        description=state["description"],
        version=1,
        created_at=clock.iso(now),
        created_by=principal.username,
        updated_at=clock.iso(now),
    )
    change = _change(
        outage,
        "created",
        principal,
        now,
        {k: {"from": None, "to": v} for k, v in _state_of(outage).items()},
    )
    notice = _notice(outage, "created", "created", now)
    city = store.city_entry(state["city"], city_key)
    extra = (
        new_request_key("outage", request_id, outage_id, principal.username, now)
        if request_id
        else None
    )
    if not store.write_change(outage, change, notice, None, city, extra):
        earlier = find_request("outage", request_id, principal.username) if request_id else None
        existing = store.get_outage(earlier) if earlier else None
        if existing is not None:
            return feature(existing), False
        raise Conflict()
    _dispatch(notice, now)
    logger.info("outage created", extra={"outage": outage_id, "kind": outage.kind})
    return feature(outage, now), True


def _change(
    outage: Outage, action: str, principal: Principal, now: datetime, changes: dict[str, Any]
) -> OutageChange:
    return store.history_entry(
        outage, clock.iso(now), principal.username, action, json.dumps(changes, ensure_ascii=False)
    )


def _load(outage_id: str) -> Outage:
    outage = store.get_outage(outage_id)
    if outage is None:
        raise NotFound()
    return outage


def update_outage(principal: Principal, outage_id: str, data: dict[str, Any]) -> dict[str, Any]:
    outage = _load(outage_id)
    if data.get("version") is not None and int(data["version"]) != int(outage.version):
        raise Conflict("outages.version_conflict")
    before = _state_of(outage)
    requested = {k: v for k, v in data.items() if k in EDITABLE}
    if outage.status == "closed":
        raise Conflict("outages.closed")
    state = _validated(requested, before)
    after = _comparable(state)
    changes = {k: {"from": before[k], "to": after[k]} for k in EDITABLE if before[k] != after[k]}
    if not changes:
        return feature(outage)  # a replay: nothing to change
    now = clock.now()
    old_version = int(outage.version)
    end_changed = "expected_end_at" in changes
    city_key = rules.city_key(state["city"])
    outage.kind = state["kind"]
    outage.product = state["product"]
    outage.city = state["city"]
    outage.city_key = city_key
    outage.streets = _street_attrs(state["streets"])
    outage.area = json.dumps(state["area"]) if state["area"] else None
    outage.starts_at = state["starts_at"]
    outage.expected_end_at = state["expected_end_at"]
    outage.description = state["description"]
    outage.version = old_version + 1
    outage.updated_at = clock.iso(now)
    store.reindex(outage)
    change = _change(outage, "updated", principal, now, changes)
    notice = (
        _notice(outage, "end_changed", f"end-v{int(outage.version)}", now) if end_changed else None
    )
    city = store.city_entry(state["city"], city_key)
    if not store.write_change(outage, change, notice, old_version, city):
        raise Conflict("outages.version_conflict")
    if notice is not None:
        _dispatch(notice, now)
    return feature(outage, now)


def close_outage(principal: Principal, outage_id: str, data: dict[str, Any]) -> dict[str, Any]:
    outage = _load(outage_id)
    if outage.status == "closed":
        return feature(outage)  # a replay changes nothing
    now = clock.now()
    ended = now
    if data.get("ended_at"):
        parsed = rules.parse_time(data["ended_at"])
        if parsed is None or parsed > now + CLOCK_SKEW:
            raise ValidationFailed(errors=[FieldError("ended_at", "outages.time")])
        starts = clock.parse_iso(outage.starts_at)
        if parsed < starts <= now:
            raise ValidationFailed(errors=[FieldError("ended_at", "outages.ended_before_start")])
        ended = min(parsed, now)
    # Closing an outage that has not started yet cancels it (it ends before its start).
    old_version = int(outage.version)
    outage.status = "closed"
    outage.ended_at = clock.iso(ended)
    outage.version = old_version + 1
    outage.updated_at = clock.iso(now)
    store.reindex(outage)
    note = str(data.get("note") or "").strip()
    changes: dict[str, Any] = {
        "status": {"from": "open", "to": "closed"},
        "ended_at": {"from": None, "to": outage.ended_at},
    }
    if note:
        changes["note"] = {"from": None, "to": note}
    change = _change(outage, "closed", principal, now, changes)
    notice = _notice(outage, "closed", "closed", now)
    if not store.write_change(outage, change, notice, old_version):
        raise Conflict("outages.version_conflict")
    _dispatch(notice, now)
    return feature(outage, now)


def get_outage(outage_id: str) -> dict[str, Any]:
    return feature(_load(outage_id))


def outage_history(outage_id: str) -> dict[str, Any]:
    records = store.outage_records(outage_id)
    if records is None:
        raise NotFound()
    history = [_history_item(c) for c in records.changes]
    notices = [
        {"event_id": n.event_id, "event": n.event, "due_at": n.due_at, "status": n.status}
        for n in records.notices
    ]
    return {"outage": feature(records.outage), "history": history, "notices": notices}


def _history_item(change: OutageChange) -> dict[str, Any]:
    return {
        "version": int(change.version),
        "at": change.at,
        "by": change.by,
        "action": change.action,
        "changes": json.loads(change.changes),
    }


def _window_bound(value: str | None, name: str, end_of_day: bool) -> datetime | None:
    if value is None or value == "":
        return None
    try:
        day = date.fromisoformat(value)
    except ValueError:
        parsed = rules.parse_time(value)
        if parsed is None:
            raise ValidationFailed(errors=[FieldError(name, "outages.time")]) from None
        return parsed
    local = datetime.combine(day, time.max if end_of_day else time.min, tzinfo=clock.WARSAW)
    return local.astimezone(UTC)


@dataclass(frozen=True)
class _Filter:
    """What the public list asks for: a time window and optional place and product."""

    since: datetime
    until: datetime | None
    street: str
    product: str | None
    kind: str | None

    def admits(self, outage: Outage) -> bool:
        starts = clock.parse_iso(outage.starts_at)
        ends = clock.parse_iso(outage.ended_at or outage.expected_end_at)
        return (
            rules.overlaps(starts, ends, self.since, self.until)
            and (not self.street or self.street in {s.key for s in outage.streets})
            and (not self.product or outage.product == self.product)
            and (not self.kind or outage.kind == self.kind)
        )


def _window(query: dict[str, str], now: datetime) -> tuple[datetime, datetime | None]:
    """The time window of the list (a ``date`` wins over ``from``/``to``; default: now on)."""
    since = _window_bound(query.get("from"), "from", end_of_day=False)
    until = _window_bound(query.get("to"), "to", end_of_day=True)
    if query.get("date"):
        since = _window_bound(query["date"], "date", end_of_day=False)
        until = _window_bound(query["date"], "date", end_of_day=True)
    if since is None:
        since = now
    if until is not None and until < since:
        raise ValidationFailed(errors=[FieldError("to", "outages.query_window")])
    return since, until


def _filter(query: dict[str, str], now: datetime) -> _Filter:
    """The list's filter; ``product`` and ``kind`` were checked by the route against the
    documented query schema."""
    since, until = _window(query, now)
    return _Filter(
        since=since,
        until=until,
        street=rules.street_key(query.get("street") or ""),
        product=query.get("product") or None,
        kind=query.get("kind") or None,
    )


def _city_keys(city: str | None) -> list[str]:
    name = " ".join((city or "").split())
    return [rules.city_key(name)] if name else [c.city_key for c in store.outage_cities()]


def list_outages(query: dict[str, str]) -> dict[str, Any]:
    """Public list as a GeoJSON FeatureCollection; by default what is current or to come."""
    now = clock.now()
    wanted = _filter(query, now)
    features = []
    for key in _city_keys(query.get("city")):
        for outage in store.outages_ending_after(key, clock.iso(wanted.since)):
            if not wanted.admits(outage):
                continue
            features.append(feature(outage, now))
            if len(features) >= MAX_FEATURES:
                break
    features.sort(key=lambda f: (f["properties"]["starts_at"], f["id"]))
    return {
        "type": "FeatureCollection",
        "features": features,
        "window": {
            "from": clock.iso(wanted.since),
            "to": clock.iso(wanted.until) if wanted.until else None,
        },
    }


def list_cities() -> dict[str, Any]:
    return {"cities": sorted((c.city for c in store.outage_cities()), key=rules.polish_order)}


def customer_outages(principal: Principal, customer_no: str) -> dict[str, Any]:
    """Current and coming outages that touch the customer's premises."""
    require_customer(principal, customer_no)
    now = clock.now()
    by_city: dict[str, list[Premises]] = {}
    for p in store.premises_of(customer_no):
        by_city.setdefault(rules.city_key(p.address.city), []).append(p)
    found = []
    for key, group in by_city.items():
        for outage in store.outages_ending_after(key, clock.iso(now)):
            place = rules.Place(outage.city, tuple(_streets_of(outage)))
            touched = rules.affected_premises(
                place,
                (
                    (p.premises_id, p.address.city, p.address.street, p.address.building)
                    for p in group
                ),
            )
            if touched:
                found.append({**outage_properties(outage, now), "premises_ids": touched})
    found.sort(key=lambda o: o["starts_at"])
    return {"outages": found}
