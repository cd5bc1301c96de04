"""Money is integer grosze; quantities and prices are Decimal. Never float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

GROSZ = Decimal("0.01")


def to_grosze(amount: Decimal) -> int:
    """Round a złoty amount half up to the grosz and return integer grosze."""
    return int((amount.quantize(GROSZ, rounding=ROUND_HALF_UP) * 100).to_integral_value())


def round_half_up(value: Decimal, places: str = "0.01") -> Decimal:
    return value.quantize(Decimal(places), rounding=ROUND_HALF_UP)


def format_pln(grosze: int) -> str:
    """1234567 -> '12 345,67 zł' (Polish grouping and decimal comma)."""
    sign = "-" if grosze < 0 else ""
    zl, gr = divmod(abs(grosze), 100)
    groups = f"{zl:,}".replace(",", "\u00a0")
    return f"{sign}{groups},{gr:02d}\u00a0zł"
