"""Individual bank account numbers (rachunek wirtualny) per customer.

NRB = 2 check digits + 8-digit bank sort code + 16 digits; the payee sets the customer part
of those 16 digits. IBAN = "PL" + NRB, valid when mod 97 == 1. Numbers from outside (bank statements) are checked
with python-stdnum; the numbers made here are checked by their ISO 7064 remainder, so the
overview (which shows the customer's account) does not import stdnum (~14 ms of a cold start).
"""

from __future__ import annotations


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
    if _mod97(nrb) != 1:  # pragma: no cover - by construction; guards an edit of the above
        raise ValueError("virtual account number fails its check digits")
    return nrb


def _mod97(nrb: str) -> int:
    """ISO 7064 MOD 97-10 of ``"PL" + nrb`` (1 for a valid IBAN): the country code and check
    digits moved to the end, P=25 and L=21."""
    return int(nrb[2:] + "2521" + nrb[:2]) % 97


def format_nrb(nrb: str) -> str:
    """'12 3456 7890 ...' as printed on Polish invoices."""
    return nrb[:2] + " " + " ".join(nrb[i : i + 4] for i in range(2, 26, 4))


def nrb_to_iban(nrb: str) -> str:
    return "PL" + nrb


def customer_no_from_nrb(nrb: str, bank_sort_code: str, payee_prefix: str) -> str | None:
    """The customer number a virtual account belongs to, or None if it is not ours."""
    from stdnum import iban

    compact = nrb.replace(" ", "").removeprefix("PL")
    if len(compact) != 26 or not iban.is_valid("PL" + compact):
        return None
    if compact[2:10] != bank_sort_code or not compact[10:].startswith(payee_prefix):
        return None
    return compact[10 + len(payee_prefix) :].lstrip("0") or "0"
