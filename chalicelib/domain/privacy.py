"""Personal data (RODO/GDPR self-service): request kinds, what an erasure must keep and until
when, the export's CSV shape. Pure: no I/O.

VAT invoices and accounting records (ledger entries, payments) are kept for five years from
the end of the year in which the tax obligation arose (art. 112 of the VAT act, art. 70 of the
tax ordinance; for energy the obligation arises with the invoice): the personal data needed
for them (name, address, PESEL/NIP on the profile) cannot be erased before then.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from datetime import date
from typing import Any

KINDS: tuple[str, ...] = ("export", "erasure", "restriction")
CASE_KINDS: tuple[str, ...] = ("erasure", "restriction")  # decided by an administrator
RETENTION_YEARS = 5
EXPORT_DAYS = 7  # an export can be downloaded this long after it is ready
LINK_SECONDS = 300  # each download link (presigned) lives this long
STALE_CLAIM_S = 300  # a building claim older than this is taken over (queue visibility 720 s)

# What an approved erasure removes (contact data, choices) and what it keeps.
ERASED: tuple[str, ...] = (
    "email",
    "phone",
    "preferences",
    "marketing_consents",
)
KEPT_FOR_ACCOUNTING: tuple[str, ...] = ("invoices", "ledger", "payments", "contracts", "profile")


def retention_until(tax_point_days: Iterable[date]) -> date | None:
    """The last day records of these tax points must be kept: 31 December of the fifth year
    after the latest one's year (None: nothing to keep)."""
    latest = max(tax_point_days, default=None)
    if latest is None:
        return None
    return date(latest.year + RETENTION_YEARS, 12, 31)


def keep_list(until: date | None, counts: Mapping[str, int]) -> list[dict[str, Any]]:
    """What must be kept and until when, for the administrator's case view."""
    if until is None:
        return []
    return [
        {"what": what, "count": int(counts.get(what, 0)), "until": until.isoformat()}
        for what in KEPT_FOR_ACCOUNTING
        if what == "profile" or counts.get(what, 0)
    ]


def to_csv(rows: Iterable[Mapping[str, Any]]) -> str:
    """Rows of one kind as CSV (columns: the union of the rows' keys, first seen first;
    nested values as JSON-ish text)."""
    listed = list(rows)
    columns: dict[str, None] = {}
    for row in listed:
        columns.update(dict.fromkeys(row))
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for row in listed:
        writer.writerow({k: _cell(v) for k, v in row.items()})
    return out.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        import json

        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)
    return str(value)
