"""Individual bank account numbers (rachunek wirtualny) per customer.

NRB = 2 check digits + 8-digit bank sort code + 16 digits; the payee sets the customer part
of those 16 digits. IBAN = "PL" + NRB, valid when mod 97 == 1 (checked with python-stdnum).
"""

from __future__ import annotations

from stdnum import iban


def virtual_nrb(bank_sort_code: str, payee_prefix: str, customer_no: str) -> str:
    """26-digit NRB: check digits + sort code (8) + payee prefix + zero-padded customer no."""
    if len(bank_sort_code) != 8 or not bank_sort_code.isdigit():
        raise ValueError("bank sort code must be 8 digits")
    body_len = 16 - len(payee_prefix)
    if not payee_prefix.isdigit() or not customer_no.isdigit() or len(customer_no) > body_len:
        raise ValueError("payee prefix and customer number must be digits fitting 16 places")
    bban = bank_sort_code + payee_prefix + customer_no.zfill(body_len)
    # ISO 13616: move "PL00" to the end, letters to numbers (P=25, L=21), 98 - mod 97.
    check = 98 - int(bban + "252100") % 97
    nrb = f"{check:02d}{bban}"
    iban.validate("PL" + nrb)
    return nrb


def format_nrb(nrb: str) -> str:
    """'12 3456 7890 ...' as printed on Polish invoices."""
    return nrb[:2] + " " + " ".join(nrb[i : i + 4] for i in range(2, 26, 4))


def nrb_to_iban(nrb: str) -> str:
    return "PL" + nrb


def customer_no_from_nrb(nrb: str, bank_sort_code: str, payee_prefix: str) -> str | None:
    """The customer number a virtual account belongs to, or None if it is not ours."""
    compact = nrb.replace(" ", "").removeprefix("PL")
    if len(compact) != 26 or not iban.is_valid("PL" + compact):
        return None
    if compact[2:10] != bank_sort_code or not compact[10:].startswith(payee_prefix):
        return None
    return compact[10 + len(payee_prefix) :].lstrip("0") or "0"
