"""ISO 20022 camt.053 (BankToCustomerStatement) reading: the credits on a statement.

Namespace-agnostic (camt.053.001.02 to .001.13 name the same elements), parsed with
defusedxml (no DTDs, no entity expansion). Only booked credits (``CdtDbtInd=CRDT``,
``Sts=BOOK``, not reversals) are returned; a batch entry with several ``TxDtls`` gives one
credit per transaction. Each credit carries the bank's reference, the key that makes
booking it idempotent.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

MAX_BYTES = 5_000_000


class CamtError(ValueError):
    """The file is not a readable camt.053 statement."""


@dataclass(frozen=True)
class Credit:
    ref: str
    amount_grosze: int
    currency: str
    booking_date: str
    value_date: str
    account: str | None  # the (virtual) account credited: IBAN or NRB as the bank wrote it
    debtor_name: str | None
    debtor_account: str | None
    title: str


@dataclass
class StatementFile:
    statement_id: str
    account: str | None
    created: str | None
    credits: list[Credit] = field(default_factory=list)
    skipped: int = 0  # debits, reversals, pending entries


def _local(tag: Any) -> str:
    return str(tag).rsplit("}", 1)[-1]


def _child(el: Any, *path: str) -> Any:
    node = el
    for name in path:
        if node is None:
            return None
        node = next((c for c in node if _local(c.tag) == name), None)
    return node


def _children(el: Any, name: str) -> list[Any]:
    return [] if el is None else [c for c in el if _local(c.tag) == name]


def _text(el: Any, *path: str) -> str | None:
    node = _child(el, *path) if path else el
    if node is None or node.text is None:
        return None
    value = node.text.strip()
    return value or None


def _grosze(text: str | None) -> int:
    if not text:
        raise CamtError("amount missing")
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise CamtError(f"bad amount {text!r}") from None
    if amount <= 0 or amount != amount.quantize(Decimal("0.01")):
        raise CamtError(f"bad amount {text!r}")
    return int(amount * 100)


def _date(el: Any, name: str) -> str | None:
    node = _child(el, name)
    if node is None:
        return None
    value = _text(node, "Dt") or _text(node, "DtTm")
    return value[:10] if value else None


def _account(el: Any) -> str | None:
    if el is None:
        return None
    return _text(el, "Id", "IBAN") or _text(el, "Id", "Othr", "Id")


def _party_name(el: Any) -> str | None:
    # camt.053.001.02: Dbtr/Nm; .001.08+: Dbtr/Pty/Nm
    if el is None:
        return None
    return _text(el, "Nm") or _text(el, "Pty", "Nm")


def _status(entry: Any) -> str | None:
    return _text(entry, "Sts", "Cd") or _text(entry, "Sts")


def parse(data: bytes) -> StatementFile:
    """Read a camt.053 document (bytes). Raises ``CamtError`` on anything unreadable."""
    if len(data) > MAX_BYTES:
        raise CamtError("file too large")
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        root = fromstring(data)
    except (ParseError, DefusedXmlException, ValueError) as exc:
        raise CamtError(f"not well-formed XML: {exc}") from None
    stmt_root = _child(root, "BkToCstmrStmt")
    if _local(root.tag) != "Document" or stmt_root is None:
        raise CamtError("not a camt.053 BankToCustomerStatement")
    statements = _children(stmt_root, "Stmt")
    if not statements:
        raise CamtError("no statement (Stmt) in the file")
    msg_id = _text(stmt_root, "GrpHdr", "MsgId") or ""
    first = statements[0]
    out = StatementFile(
        statement_id=_text(first, "Id") or msg_id or hashlib.sha256(data).hexdigest()[:24],
        account=_account(_child(first, "Acct")),
        created=_text(first, "CreDtTm") or _text(stmt_root, "GrpHdr", "CreDtTm"),
    )
    for stmt in statements:
        stmt_id = _text(stmt, "Id") or msg_id
        for index, entry in enumerate(_children(stmt, "Ntry")):
            if (
                _text(entry, "CdtDbtInd") != "CRDT"
                or _text(entry, "RvslInd") == "true"
                or _status(entry) != "BOOK"
            ):
                out.skipped += 1
                continue
            out.credits.extend(_credits(entry, stmt_id, index))
    return out


@dataclass(frozen=True)
class _EntryHeader:
    """What every credit of one statement entry (Ntry) shares."""

    ref: str
    amount: Any  # the entry's Amt element (None when absent)
    currency: str
    booking_date: str
    value_date: str


def _entry_header(entry: Any, stmt_id: str, index: int) -> _EntryHeader:
    amount_el = _child(entry, "Amt")
    currency = (amount_el.get("Ccy") if amount_el is not None else None) or "PLN"
    booking = _date(entry, "BookgDt")
    value = _date(entry, "ValDt") or booking
    if not booking or not value:
        raise CamtError("entry without a booking date")
    entry_ref = _text(entry, "AcctSvcrRef") or _text(entry, "NtryRef") or f"{stmt_id}-{index + 1}"
    return _EntryHeader(entry_ref, amount_el, currency, booking, value)


def _tx_amount_and_ref(tx: Any, head: _EntryHeader, n: int, single: bool) -> tuple[int, str, Any]:
    """(grosze, bank reference, the transaction's Amt element) of one transaction: a single
    transaction takes the entry's amount, a batch's transactions their own."""
    tx_amount = _child(tx, "AmtDtls", "TxAmt", "Amt")
    if tx_amount is None:  # (an Element with no children is falsy: never use `or`)
        tx_amount = _child(tx, "Amt")
    if single:
        return _grosze(_text(head.amount)), _text(tx, "Refs", "AcctSvcrRef") or head.ref, tx_amount
    if tx_amount is None:
        raise CamtError("batch transaction without an amount")
    ref = _text(tx, "Refs", "AcctSvcrRef") or f"{head.ref}-{n}"
    return _grosze(_text(tx_amount)), ref, tx_amount


def _tx_credit(tx: Any, head: _EntryHeader, n: int, single: bool) -> Credit:
    amount, ref, tx_amount = _tx_amount_and_ref(tx, head, n, single)
    tx_currency = (tx_amount.get("Ccy") if tx_amount is not None else None) or head.currency
    parties = _child(tx, "RltdPties")
    title = " ".join(t.text.strip() for t in _children(_child(tx, "RmtInf"), "Ustrd") if t.text)
    return Credit(
        ref=ref,
        amount_grosze=amount,
        currency=tx_currency,
        booking_date=head.booking_date,
        value_date=head.value_date,
        account=_account(_child(parties, "CdtrAcct")),
        debtor_name=_party_name(_child(parties, "Dbtr")),
        debtor_account=_account(_child(parties, "DbtrAcct")),
        title=title,
    )


def _credits(entry: Any, stmt_id: str, index: int) -> list[Credit]:
    head = _entry_header(entry, stmt_id, index)
    txs = [t for d in _children(entry, "NtryDtls") for t in _children(d, "TxDtls")]
    if not txs:
        amount = _grosze(_text(head.amount))
        return [
            Credit(
                head.ref,
                amount,
                head.currency,
                head.booking_date,
                head.value_date,
                None,
                None,
                None,
                "",
            )
        ]
    return [_tx_credit(tx, head, n, len(txs) == 1) for n, tx in enumerate(txs, start=1)]


_TOKEN = re.compile(r"[A-Za-z0-9][A-Za-z0-9/_.\-]*[A-Za-z0-9]")


def invoice_candidates(title: str, limit: int = 8) -> list[str]:
    """Tokens of a transfer title that may be invoice numbers (at least 4 digits)."""
    seen: list[str] = []
    for token in _TOKEN.findall(title or ""):
        token = token.upper()
        digits = sum(ch.isdigit() for ch in token)
        if len(token) < 6 or digits < 4 or (token.isdigit() and len(token) > 20):
            continue
        if token not in seen:
            seen.append(token)
        if len(seen) >= limit:
            break
    return seen
