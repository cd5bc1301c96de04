"""SMS text: GSM 03.38 transliteration and outage notices that fit one SMS.

A single Polish letter forces UCS-2 (70 characters a part), so every alert is transliterated
with an explicit map (ł→l is not a Unicode decomposition) to the GSM 03.38 basic alphabet,
where one SMS holds 160 characters. Characters of the extension table ([ ] { } ~ | ^ € \\)
cost two septets each and are mapped to basic ones too.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta

from chalicelib.domain.clock import WARSAW, to_warsaw

SMS_LIMIT = 160

# The GSM 03.38 default alphabet (one septet each), without the escape character.
GSM_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)

# Explicit map: Polish letters, typographic punctuation, extension-table characters.
TRANSLIT: dict[str, str] = {
    "ą": "a", "ć": "c", "ę": "e", "ł": "l", "ń": "n", "ó": "o", "ś": "s", "ź": "z", "ż": "z",
    "Ą": "A", "Ć": "C", "Ę": "E", "Ł": "L", "Ń": "N", "Ó": "O", "Ś": "S", "Ź": "Z", "Ż": "Z",
    "–": "-", "—": "-", "‑": "-", "−": "-",
    "„": '"', "”": '"', "“": '"', "«": '"', "»": '"',
    "‚": "'", "‘": "'", "’": "'", "`": "'", "´": "'",
    "…": "...", "•": "-", "·": ".", "×": "x", "°": "st.",
    "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\t": " ",
    "[": "(", "]": ")", "{": "(", "}": ")", "~": "-", "|": "/", "^": "", "\\": "/",
    "€": "EUR", "\x0c": " ",
}  # fmt: skip


def to_gsm(text: str) -> str:
    """Transliterate to the GSM 03.38 basic alphabet; unknown letters lose their accents,
    anything else becomes '?'."""
    out: list[str] = []
    for ch in text:
        if ch in TRANSLIT:
            out.append(TRANSLIT[ch])
        elif ch in GSM_BASIC:
            out.append(ch)
        else:
            base = "".join(
                c for c in unicodedata.normalize("NFKD", ch) if not unicodedata.combining(c)
            )
            out.append(base if base and all(c in GSM_BASIC for c in base) else "?")
    return "".join(out)


def septets(text: str) -> int:
    """Length in GSM septets of a text already in the basic alphabet."""
    return len(text)


def is_single_sms(text: str) -> bool:
    return all(c in GSM_BASIC for c in text) and septets(text) <= SMS_LIMIT


# --- quiet hours ---------------------------------------------------------------------------
# The one rule of when an SMS that can wait does wait (Europe/Warsaw wall clock, so DST is
# the zone's business): planned-outage notices (domain.outages.notice_due_at) and the
# notices-queue SMS (new invoice, payment booked: services.preferences). Failure notices and
# one-time codes are never held.

QUIET_STARTS = time(22, 0)
QUIET_ENDS = time(7, 0)
MAX_HOLD_S = 900  # one hold at most (an SQS message's longest delay)


def is_quiet(at: datetime) -> bool:
    local = to_warsaw(at).time()
    return local >= QUIET_STARTS or local < QUIET_ENDS


def quiet_ends(at: datetime) -> datetime:
    """07:00 Warsaw time following ``at`` (same day before 07:00, next day after 22:00)."""
    local = to_warsaw(at)
    day = local.date() if local.time() < QUIET_ENDS else local.date() + timedelta(days=1)
    return datetime.combine(day, QUIET_ENDS, tzinfo=WARSAW).astimezone(UTC)


def hold_seconds(at: datetime, cap: int = MAX_HOLD_S) -> int:
    """How long an SMS that can wait is held from ``at``: 0 outside the quiet hours, else
    until they end but at most ``cap`` seconds (it is looked at again then)."""
    if not is_quiet(at):
        return 0
    left = (quiet_ends(at) - at).total_seconds()
    return max(1, min(cap, math.ceil(left)))


# --- outage notices -------------------------------------------------------------------

EVENTS = ("created", "end_changed", "closed")
EMERGENCY = {"heat": "993", "electricity": "991"}


@dataclass(frozen=True)
class NoticeStreet:
    name: str
    buildings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Notice:
    """What an outage notice says: what, where and until when."""

    event: str  # created | end_changed | closed
    kind: str  # planned | failure
    product: str  # heat | electricity
    city: str
    streets: tuple[NoticeStreet, ...]
    starts_at: datetime
    expected_end_at: datetime
    ended_at: datetime | None = None

    @property
    def cancelled(self) -> bool:
        """Closed before it started: a planned outage called off."""
        return self.ended_at is not None and self.ended_at <= self.starts_at


_PRODUCT = {
    "pl": {"heat": "ciepła", "electricity": "prądu"},
    "en": {"heat": "heat", "electricity": "power"},
}

# Written with Polish letters (e-mail keeps them); SMS text is transliterated.
_TEMPLATES = {
    "pl": {
        ("created", "planned"): "Planowane wyłączenie {product} {where}: od {start} do {end}. "
        "Awarie: {phone}",
        ("created", "failure"): "Awaria - brak {product} {where}. Usunięcie do {end}. "
        "Pogotowie {phone}",
        ("end_changed", "planned"): "Zmiana terminu: wyłączenie {product} {where} potrwa do {end}.",
        ("end_changed", "failure"): "Awaria - brak {product} {where}. Nowy termin usunięcia: "
        "{end}. Pogotowie {phone}",
        ("closed", "planned"): "Zakończono wyłączenie {product} {where} ({ended}). "
        "Dostawy przywrócone.",
        ("closed", "failure"): "Usunięto awarię {product} {where} ({ended}). Dostawy przywrócone.",
        ("cancelled", "planned"): "Odwołano planowane wyłączenie {product} {where} "
        "(od {start} do {end}). Dostawy bez przerwy.",
    },
    "en": {
        ("created", "planned"): "Planned {product} outage {where}: from {start} until {end}. "
        "Faults: {phone}",
        ("created", "failure"): "Failure - no {product} {where}. Expected fix by {end}. "
        "Emergency {phone}",
        ("end_changed", "planned"): "Update: {product} outage {where} now lasts until {end}.",
        ("end_changed", "failure"): "Failure - no {product} {where}. New expected fix: {end}. "
        "Emergency {phone}",
        ("closed", "planned"): "Planned {product} outage {where} ended ({ended}). Supply restored.",
        ("closed", "failure"): "{product_cap} failure {where} fixed ({ended}). Supply restored.",
        ("cancelled", "planned"): "Cancelled: planned {product} outage {where} "
        "(from {start} until {end}). No interruption.",
    },
}


def _when(dt: datetime) -> str:
    local = to_warsaw(dt)
    return local.strftime("%d.%m %H:%M")


def _where_variants(city: str, streets: Sequence[NoticeStreet], lang: str) -> list[str]:
    """From the most to the least detailed description of where."""
    others = "i {n} innych" if lang == "pl" else "and {n} more"
    variants = []
    full = "; ".join(s.name + (" " + ",".join(s.buildings) if s.buildings else "") for s in streets)
    variants.append(f"{city}, {full}" if full else city)
    bare = "; ".join(s.name for s in streets)
    if bare:
        variants.append(f"{city}, {bare}")
    for keep in range(len(streets) - 1, 0, -1):
        head = "; ".join(s.name for s in streets[:keep])
        variants.append(f"{city}, {head} " + others.format(n=len(streets) - keep))
    variants.append(city)
    return variants


def _shorten(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 3].rstrip() + "..."


def _render(notice: Notice, lang: str, where: str) -> str:
    event = notice.event
    if event == "closed" and notice.kind == "planned" and notice.cancelled:
        event = "cancelled"
    template = _TEMPLATES[lang][(event, notice.kind)]
    product = _PRODUCT[lang][notice.product]
    return template.format(
        where=where,
        product=product,
        product_cap=product.capitalize(),
        start=_when(notice.starts_at),
        end=_when(notice.expected_end_at),
        ended=_when(notice.ended_at or notice.expected_end_at),
        phone=EMERGENCY.get(notice.product, "112"),
    )


def notice_text(notice: Notice, lang: str = "pl", gsm: bool = True) -> str:
    """The notice as one SMS (≤160 GSM 03.38 characters) with the most detailed 'where'
    that fits; ``gsm=False`` gives the same text with Polish letters (e-mail)."""
    lang = lang if lang in _TEMPLATES else "pl"
    for where in _where_variants(notice.city, notice.streets, lang):
        text = to_gsm(_render(notice, lang, where))
        if septets(text) <= SMS_LIMIT:
            return text if gsm else _render(notice, lang, where)
    # A city name alone longer than the room left: cut the city, never the when.
    room = max(SMS_LIMIT - septets(to_gsm(_render(notice, lang, ""))), 4)
    city = _shorten(to_gsm(notice.city), room)
    return to_gsm(_render(notice, lang, city))[:SMS_LIMIT]


def notice_subject(notice: Notice, lang: str = "pl") -> str:
    """E-mail subject for the same notice (e-mail keeps Polish letters)."""
    if lang == "en":
        what = {"heat": "Heat", "electricity": "Power"}[notice.product]
        kind = "planned outage" if notice.kind == "planned" else "network failure"
        state = {"created": "", "end_changed": " (new end time)", "closed": " (ended)"}
        return f"eBOK: {what} {kind} – {notice.city}{state[notice.event]}"
    what = {"heat": "ciepła", "electricity": "prądu"}[notice.product]
    kind = "Planowane wyłączenie" if notice.kind == "planned" else "Awaria – brak"
    state = {"created": "", "end_changed": " (nowy termin)", "closed": " (zakończono)"}
    return f"eBOK: {kind} {what} – {notice.city}{state[notice.event]}"
