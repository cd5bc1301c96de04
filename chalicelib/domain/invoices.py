"""Invoice rules: billing periods, numbering, due dates, amount in words (słownie).

Numbers are gapless within a series and the month of issue: ``FC/2026/12/000005`` (heat),
``FE/…`` (electricity), ``FK/…`` (correcting invoices, faktury korygujące). The URL-safe id
of that invoice is ``FC-2026-12-000005``.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from chalicelib.domain import clock

SERIES = {"heat": "FC", "electricity": "FE"}
CORRECTION_SERIES = "FK"
PAYMENT_DAYS = 14
VAT_RATE = "23"

PERIOD_RE = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
ID_RE = re.compile(r"^(F[A-Z])-(\d{4})-(\d{2})-(\d{6})$")


class PeriodError(ValueError):
    pass


@dataclass(frozen=True)
class Period:
    """A billing month ``YYYY-MM``."""

    year: int
    month: int

    @classmethod
    def parse(cls, text: str) -> Period:
        m = PERIOD_RE.match(text or "")
        if not m:
            raise PeriodError(f"period must be YYYY-MM: {text!r}")
        return cls(int(m.group(1)), int(m.group(2)))

    @property
    def key(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def first(self) -> date:
        return date(self.year, self.month, 1)

    @property
    def last(self) -> date:
        return date(self.year, self.month, calendar.monthrange(self.year, self.month)[1])

    def previous(self) -> Period:
        return Period(self.year - 1, 12) if self.month == 1 else Period(self.year, self.month - 1)

    def next(self) -> Period:
        return Period(self.year + 1, 1) if self.month == 12 else Period(self.year, self.month + 1)

    def __str__(self) -> str:
        return self.key


def previous_month(now: datetime | None = None) -> Period:
    """The default billing period: the month before today in Europe/Warsaw."""
    today = clock.to_warsaw(now or clock.now()).date()
    return Period(today.year, today.month).previous()


class PeriodNotEnded(PeriodError):
    """A billing month that has not ended yet (in Europe/Warsaw) cannot be invoiced."""


def require_ended(period: Period, today: date) -> None:
    """Refuse a period whose last day is today or later: its readings do not exist yet
    (an invoice for it would store readings dated in the future)."""
    if period.last >= today:
        raise PeriodNotEnded(
            f"period {period.key} has not ended: it ends on {period.last.isoformat()}, "
            f"invoice it from {(period.last + timedelta(days=1)).isoformat()}"
        )


def billing_window(
    period: Period, start_date: str, end_date: str | None
) -> tuple[date, date] | None:
    """The part of ``period`` a contract was in force; None when it was not at all."""
    start = max(period.first, date.fromisoformat(start_date))
    end = period.last if end_date is None else min(period.last, date.fromisoformat(end_date))
    return (start, end) if start <= end else None


def due_date(issue: date) -> date:
    return issue + timedelta(days=PAYMENT_DAYS)


def invoice_id(series: str, issued: date, seq: int) -> str:
    return f"{series}-{issued.year:04d}-{issued.month:02d}-{seq:06d}"


def invoice_number(series: str, issued: date, seq: int) -> str:
    return f"{series}/{issued.year:04d}/{issued.month:02d}/{seq:06d}"


def parse_invoice_id(value: str) -> tuple[str, str, int] | None:
    """``FC-2026-12-000005`` → (series, '2026-12', 5); None if it is not an invoice id."""
    m = ID_RE.match(value or "")
    if not m:
        return None
    return m.group(1), f"{m.group(2)}-{m.group(3)}", int(m.group(4))


# --- amount in words (kwota słownie) ------------------------------------------------

_UNITS = ["", "jeden", "dwa", "trzy", "cztery", "pięć", "sześć", "siedem", "osiem", "dziewięć"]
_TEENS = [
    "dziesięć",
    "jedenaście",
    "dwanaście",
    "trzynaście",
    "czternaście",
    "piętnaście",
    "szesnaście",
    "siedemnaście",
    "osiemnaście",
    "dziewiętnaście",
]
_TENS = [
    "",
    "",
    "dwadzieścia",
    "trzydzieści",
    "czterdzieści",
    "pięćdziesiąt",
    "sześćdziesiąt",
    "siedemdziesiąt",
    "osiemdziesiąt",
    "dziewięćdziesiąt",
]
_HUNDREDS = [
    "",
    "sto",
    "dwieście",
    "trzysta",
    "czterysta",
    "pięćset",
    "sześćset",
    "siedemset",
    "osiemset",
    "dziewięćset",
]
# (singular, 2-4 plural, 5+ plural) for 1, 10^3, 10^6, 10^9
_SCALES = [
    ("", "", ""),
    ("tysiąc", "tysiące", "tysięcy"),
    ("milion", "miliony", "milionów"),
    ("miliard", "miliardy", "miliardów"),
]


def _plural(n: int, forms: tuple[str, str, str]) -> str:
    if n == 1:
        return forms[0]
    if n % 10 in (2, 3, 4) and n % 100 not in (12, 13, 14):
        return forms[1]
    return forms[2]


def _below_thousand(n: int) -> list[str]:
    words = []
    h, rest = divmod(n, 100)
    if h:
        words.append(_HUNDREDS[h])
    if 10 <= rest < 20:
        words.append(_TEENS[rest - 10])
    else:
        t, u = divmod(rest, 10)
        if t:
            words.append(_TENS[t])
        if u:
            words.append(_UNITS[u])
    return words


def number_in_words(n: int) -> str:
    if n == 0:
        return "zero"
    if n < 0:
        return "minus " + number_in_words(-n)
    words: list[str] = []
    for scale in range(len(_SCALES) - 1, -1, -1):
        chunk = (n // 1000**scale) % 1000
        if not chunk:
            continue
        if scale and chunk == 1:
            words.append(_SCALES[scale][0])
            continue
        words.extend(_below_thousand(chunk))
        if scale:
            words.append(_plural(chunk, _SCALES[scale]))
    return " ".join(words)


def amount_in_words(grosze: int) -> str:
    """12345 → 'sto dwadzieścia trzy złote 45/100'."""
    zl, gr = divmod(abs(grosze), 100)
    sign = "minus " if grosze < 0 else ""
    return f"{sign}{number_in_words(zl)} {_plural(zl, ('złoty', 'złote', 'złotych'))} {gr:02d}/100"


# --- what the customer does with the amount ----------------------------------------------

SETTLEMENT_CREDIT = "credit"


def settlement(gross_grosze: int) -> str | None:
    """None: the amount is due (do zapłaty) by the due date. ``credit``: a negative amount
    (do zwrotu) booked as credit on the account (nadpłata): it settles the oldest open and
    the next invoices, or is paid back to the customer's bank account on request; never a
    payment deadline."""
    return SETTLEMENT_CREDIT if gross_grosze < 0 else None


SETTLEMENT_TEXT = {
    SETTLEMENT_CREDIT: (
        "Kwota do zwrotu została zaksięgowana jako nadpłata na koncie klienta: zostanie "
        "zaliczona na poczet zaległych i najbliższych należności albo zwrócona na wskazany "
        "rachunek bankowy na wniosek klienta.",
        "The amount to be refunded is booked as credit on the customer's account: it settles "
        "outstanding and upcoming invoices, or is paid back to the customer's bank account "
        "on request.",
    )
}
