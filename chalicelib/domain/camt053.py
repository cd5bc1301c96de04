"""ISO 20022 camt.053 (BankToCustomerStatement) reading: the credits on a statement.

Namespace-agnostic (camt.053.001.02 to .001.13 name the same elements), parsed with
defusedxml (no DTD at all, no entity expansion) in the encoding the file declares. Only
booked credits (``CdtDbtInd=CRDT``, ``Sts=BOOK``, not reversals, not 0.00) are returned, from
every statement of the file; a batch entry with several ``TxDtls`` gives one credit per
transaction, in the entry's currency. Each credit carries a reference made of the bank's
entry reference and its transaction reference together: the key that makes booking it
idempotent without ever merging two distinct credits. camt.052/054 are refused by name.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from typing import Any

MAX_BYTES = 5_000_000
FIRST_DATE, LAST_DATE = "2000-01-01", "2099-12-31"
_AMOUNT = re.compile(r"^\d{1,15}(\.\d{1,5})?$")
_DECLARED = re.compile(rb"^\s*<\?xml[^>]*encoding\s*=\s*[\"']([A-Za-z0-9._-]+)[\"']")
_STR_DECLARED = re.compile(r"^(\s*<\?xml[^>]*encoding\s*=\s*[\"'])([A-Za-z0-9._-]+)([\"'])")


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
    references: tuple[str, ...] = ()  # structured remittance (Strd/CdtrRefInf/Ref, RfrdDocInf)
    statement_id: str = ""


@dataclass
class Statement:
    """One ``Stmt`` of a file: a file may carry several (days, accounts)."""

    statement_id: str
    account: str | None
    currency: str | None
    credits: list[Credit] = field(default_factory=list)
    skipped: int = 0


@dataclass
class StatementFile:
    statement_id: str
    account: str | None
    created: str | None
    credits: list[Credit] = field(default_factory=list)
    skipped: int = 0  # debits, reversals, pending and zero entries
    statements: list[Statement] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was skipped and why, for the admin

    @property
    def accounts(self) -> list[str]:
        return [s.account or "" for s in self.statements]


def as_bytes(content: str) -> bytes:
    """An uploaded statement that arrived as text, as the bytes its declaration names: an
    ISO-8859-2 (or windows-1250) file is encoded back to that charset, so the parser reads
    the same characters the bank wrote; text that charset cannot hold is sent as UTF-8 with
    the declaration changed to match."""
    match = _STR_DECLARED.match(content)
    if match:
        try:
            return content.encode(match.group(2))
        except (LookupError, UnicodeEncodeError):
            content = _STR_DECLARED.sub(lambda m: m.group(1) + "UTF-8" + m.group(3), content, 1)
    return content.encode("utf-8")


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


def amount_grosze(text: str | None) -> int:
    """An ISO 20022 amount (digits, a point, up to five decimals) in whole grosze. NaN,
    infinities, exponents (``1E+400``), signs and fractions of a grosz are refused."""
    if not text:
        raise CamtError("amount missing")
    if not _AMOUNT.match(text):
        raise CamtError(f"bad amount {text[:30]!r}")
    amount = Decimal(text)
    if amount != amount.quantize(Decimal("0.01")):
        raise CamtError(f"bad amount {text[:30]!r}: fractions of a grosz")
    return int(amount * 100)


def _real_date(value: str, what: str) -> str:
    try:
        day = date.fromisoformat(value[:10])
    except ValueError:
        raise CamtError(f"bad {what} {value[:30]!r}") from None
    if not FIRST_DATE <= day.isoformat() <= LAST_DATE:
        raise CamtError(f"{what} out of range: {value[:30]!r}")
    return day.isoformat()


def _date(el: Any, name: str) -> str | None:
    node = _child(el, name)
    if node is None:
        return None
    value = _text(node, "Dt") or _text(node, "DtTm")
    return _real_date(value, name) if value else None


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


def _document(data: bytes) -> Any:
    if len(data) > MAX_BYTES:
        raise CamtError("file too large")
    from defusedxml import DefusedXmlException
    from defusedxml.ElementTree import ParseError, fromstring

    try:
        # No DTD at all (forbid_dtd): a statement has no business declaring one, and a
        # DOCTYPE is how entity tricks begin.
        return fromstring(data, forbid_dtd=True)
    except DefusedXmlException as exc:
        raise CamtError(f"refused XML construct: {type(exc).__name__}") from None
    except (ParseError, ValueError, LookupError) as exc:
        raise CamtError(f"not well-formed XML: {exc}") from None


def parse(data: bytes) -> StatementFile:
    """Read a camt.053 document (bytes, in the encoding its declaration names). Raises
    ``CamtError`` on anything unreadable; every statement (``Stmt``) of the file is read."""
    root = _document(data)
    if _local(root.tag) == "Document" and _child(root, "BkToCstmrAcctRpt") is not None:
        raise CamtError("camt.052 (intraday account report) is not a statement: send camt.053")
    if _local(root.tag) == "Document" and _child(root, "BkToCstmrDbtCdtNtfctn") is not None:
        raise CamtError("camt.054 (notification) is not a statement: send camt.053")
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
    for number, stmt in enumerate(statements, start=1):
        part = _statement(stmt, _text(stmt, "Id") or f"{msg_id or out.statement_id}-{number}", out)
        out.statements.append(part)
        out.credits.extend(part.credits)
        out.skipped += part.skipped
    _disambiguate(out.credits)
    at = 0
    for part in out.statements:  # the statements carry the same (disambiguated) credits
        part.credits = out.credits[at : at + len(part.credits)]
        at += len(part.credits)
    return out


def _statement(stmt: Any, stmt_id: str, out: StatementFile) -> Statement:
    acct = _child(stmt, "Acct")
    part = Statement(stmt_id, _account(acct), _text(acct, "Ccy"))
    for index, entry in enumerate(_children(stmt, "Ntry")):
        if (
            _text(entry, "CdtDbtInd") != "CRDT"
            or _text(entry, "RvslInd") == "true"
            or _status(entry) != "BOOK"
        ):
            part.skipped += 1
            continue
        head = _entry_header(entry, stmt_id, index)
        if amount_grosze(_text(head.amount)) == 0:
            part.skipped += 1
            out.notes.append(f"{stmt_id}: entry {head.ref} has amount 0.00 and was skipped")
            continue
        part.credits.extend(_credits(entry, head, stmt_id))
    return part


@dataclass(frozen=True)
class _EntryHeader:
    """What every credit of one statement entry (Ntry) shares."""

    ref: str
    amount: Any  # the entry's Amt element (None when absent)
    currency: str  # the entry's (the account's) currency: every credit is booked in it
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
    return _EntryHeader(entry_ref[:120], amount_el, currency, booking, value)


def _in_currency(tx: Any, currency: str) -> int | None:
    """A batch transaction's amount in the entry's (account's) currency: ``TxDtls/Amt``
    (camt.053.001.03+), else the first of ``AmtDtls`` TxAmt / CntrValAmt in that currency.
    An amount in another currency (the payer's instructed amount) is never booked as ours."""
    for path in (("Amt",), ("AmtDtls", "TxAmt", "Amt"), ("AmtDtls", "CntrValAmt", "Amt")):
        el = _child(tx, *path)
        if el is not None and (el.get("Ccy") or currency) == currency:
            return amount_grosze(_text(el))
    return None


def _tx_ref(tx: Any) -> str | None:
    refs = _child(tx, "Refs")
    for name in ("AcctSvcrRef", "TxId", "EndToEndId", "InstrId"):
        value = _text(refs, name)
        if value and value.upper() != "NOTPROVIDED":
            return value[:60]
    return None


def _remittance(tx: Any) -> tuple[str, tuple[str, ...]]:
    """Unstructured lines and structured references (creditor reference, referred document
    numbers, additional remittance text) of one transaction."""
    rmt = _child(tx, "RmtInf")
    lines = [t.text.strip() for t in _children(rmt, "Ustrd") if t.text and t.text.strip()]
    refs: list[str] = []
    for strd in _children(rmt, "Strd"):
        for value in (
            _text(strd, "CdtrRefInf", "Ref"),
            *(_text(doc, "Nb") for doc in _children(strd, "RfrdDocInf")),
        ):
            if value and value not in refs:
                refs.append(value)
        extra = [t.text.strip() for t in _children(strd, "AddtlRmtInf") if t.text]
        lines.extend(x for x in extra if x)
    title = " ".join([*lines, *refs])
    return title[:500], tuple(refs)


def _tx_credit(tx: Any, head: _EntryHeader, stmt_id: str, amount: int, ref: str) -> Credit:
    parties = _child(tx, "RltdPties")
    title, refs = _remittance(tx) if tx is not None else ("", ())
    return Credit(
        ref=ref,
        amount_grosze=amount,
        currency=head.currency,
        booking_date=head.booking_date,
        value_date=head.value_date,
        account=_account(_child(parties, "CdtrAcct")),
        debtor_name=_party_name(_child(parties, "Dbtr")),
        debtor_account=_account(_child(parties, "DbtrAcct")),
        title=title,
        references=refs,
        statement_id=stmt_id,
    )


def _credits(entry: Any, head: _EntryHeader, stmt_id: str) -> list[Credit]:
    txs = [t for d in _children(entry, "NtryDtls") for t in _children(d, "TxDtls")]
    if len(txs) <= 1:
        # One transaction (or none): the entry's own amount, in the entry's currency.
        tx = txs[0] if txs else None
        ref = (_text(tx, "Refs", "AcctSvcrRef") if tx is not None else None) or head.ref
        return [_tx_credit(tx, head, stmt_id, amount_grosze(_text(head.amount)), ref)]
    credits = []
    for n, tx in enumerate(txs, start=1):
        amount = _in_currency(tx, head.currency)
        if amount is None:
            raise CamtError(f"batch transaction of {head.ref} without an amount in {head.currency}")
        # The entry's reference and the transaction's together: two transactions may share
        # one AcctSvcrRef (a bank's batch id) and still be two credits.
        tx_ref = _tx_ref(tx)
        ref = f"{head.ref}-{n}" if tx_ref is None else f"{head.ref}/{tx_ref}"
        if amount:
            credits.append(_tx_credit(tx, head, stmt_id, amount, ref))
    return credits


def _disambiguate(credits: list[Credit]) -> None:
    """References that repeat in one file: the same reference with the same amount and title
    is the bank repeating itself (a duplicate, booked once); with different content it is a
    distinct credit and gets a stable suffix (its amount, then its occurrence)."""
    seen: dict[str, Credit] = {}
    for i, credit in enumerate(credits):
        first = seen.get(credit.ref)
        if first is None:
            seen[credit.ref] = credit
            continue
        if (first.amount_grosze, first.title, first.account) == (
            credit.amount_grosze,
            credit.title,
            credit.account,
        ):
            continue
        ref = f"{credit.ref}/{credit.amount_grosze}"
        k = 2
        while ref in seen:
            ref = f"{credit.ref}/{credit.amount_grosze}/{k}"
            k += 1
        credits[i] = replace(credit, ref=ref)
        seen[ref] = credits[i]


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
