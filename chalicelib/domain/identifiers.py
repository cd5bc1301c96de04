"""Polish identifiers, validated with python-stdnum (never by hand)."""

from __future__ import annotations

import re

from stdnum.exceptions import ValidationError
from stdnum.pl import nip, pesel, regon

_KRS = re.compile(r"^\d{10}$")
_POSTAL = re.compile(r"^\d{2}-\d{3}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?\d{9,15}$")


def clean_pesel(value: str) -> str | None:
    try:
        return str(pesel.validate(value))
    except ValidationError:
        return None


def clean_nip(value: str) -> str | None:
    try:
        return str(nip.validate(value))
    except ValidationError:
        return None


def clean_regon(value: str) -> str | None:
    try:
        return str(regon.validate(value))
    except ValidationError:
        return None


def clean_krs(value: str) -> str | None:
    compact = re.sub(r"[\s-]", "", value or "")
    return compact if _KRS.match(compact) else None


def clean_postal_code(value: str) -> str | None:
    value = (value or "").strip()
    return value if _POSTAL.match(value) else None


def clean_email(value: str) -> str | None:
    value = (value or "").strip()
    return value.lower() if _EMAIL.match(value) and len(value) <= 254 else None


def clean_phone(value: str) -> str | None:
    """Polish numbers normalised to E.164 (+48 and 9 digits); others must carry a '+'."""
    compact = re.sub(r"[\s()-]", "", value or "")
    if not _PHONE.match(compact):
        return None
    if compact.startswith("+"):
        return compact
    if len(compact) == 9:
        return "+48" + compact
    if len(compact) == 11 and compact.startswith("48"):
        return "+" + compact
    return None


def normalise_city(city: str) -> str:
    """Key form of a city or street: upper case, single spaces (keeps Polish letters)."""
    return " ".join((city or "").split()).upper()
