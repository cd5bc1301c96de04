"""camt.053 as banks write it (issue 13, findings 4, 5 and 6): published samples from real
libraries with their expected credits, and the hostile or unusual shapes banks send."""

from __future__ import annotations

from pathlib import Path

import pytest

from chalicelib.domain import camt053
from devstack.camt_sample import SampleCredit
from devstack.camt_sample import camt053 as build

DATA = Path(__file__).resolve().parents[1] / "data" / "camt053"


def _read(name: str) -> camt053.StatementFile:
    return camt053.parse((DATA / name).read_bytes())


def _summary(st: camt053.StatementFile) -> list[tuple[str, int, str, str, str]]:
    return [(c.ref, c.amount_grosze, c.currency, c.booking_date, c.title) for c in st.credits]


# --- published samples, each with its expected credits ------------------------------------


def test_oca_txdtls_two_transactions_sharing_one_reference_are_two_credits() -> None:
    """The finding: the second credit (1 296,00) was dropped as a duplicate of the first."""
    st = _read("oca-camt053-txdtls.xml")
    assert st.accounts == ["CH1111000000123456789"]
    entry = "20170323001234567891234567891234"
    assert _summary(st) == [
        (
            f"{entry}/123456CHCAFEBABE",
            218_700,
            "CHF",
            "2017-03-22",
            "?REJECT?0 302388292000011111111111111",
        ),
        (
            f"{entry}/123456CHCAFEBABE/129600",
            129_600,
            "CHF",
            "2017-03-22",
            "?REJECT?0 302388292000022222222222222",
        ),
    ]
    assert [c.references for c in st.credits] == [
        ("302388292000011111111111111",),
        ("302388292000022222222222222",),
    ]
    assert len({c.ref for c in st.credits}) == 2
    # The same file read again gives the same references (idempotent booking).
    assert [c.ref for c in _read("oca-camt053-txdtls.xml").credits] == [c.ref for c in st.credits]


def test_oca_statement_books_only_the_credit() -> None:
    st = _read("oca-camt053.xml")
    assert st.statement_id == "1234Test/1" and st.accounts == ["NL77ABNA0574908765"]
    assert st.skipped == 2  # a debit and a reversed batch
    assert _summary(st) == [("1234Test/1-3", 140_531, "EUR", "2014-01-05", "")]
    assert st.credits[0].debtor_name == "3rd party Media"
    assert st.credits[0].debtor_account == "NL69ABNA0522123643"


def test_oca_multi_currency_takes_the_entry_currency() -> None:
    st = _read("oca-camt053-multi-currency.xml")
    assert st.skipped == 1  # the EUR-instructed debit
    assert _summary(st) == [
        ("80XM-210914-CS-02210", 13_400, "CHF", "2021-09-14", "/INV/09.2021/01 7.9.2021")
    ]


def test_genkgo_every_statement_of_a_multi_statement_file() -> None:
    st = _read("genkgo-camt053.v2.multi.statement.xml")
    assert [s.statement_id for s in st.statements] == [
        "253EURNL26VAYB8060476890",
        "254EURNL26VAYB8060476890",
    ]
    assert [len(s.credits) for s in st.statements] == [1, 0]
    assert [s.skipped for s in st.statements] == [0, 1]
    assert _summary(st) == [
        ("253EURNL26VAYB8060476890-1", 885, "EUR", "2014-12-31", "Transaction Description 1")
    ]
    assert st.credits[0].value_date == "2015-01-02"


def test_genkgo_camt052_is_refused_by_name() -> None:
    with pytest.raises(camt053.CamtError, match="camt.052"):
        _read("genkgo-camt052.v2.xml")


# --- shapes and hostile values -------------------------------------------------------------

ENTRY = """<Ntry><Amt Ccy="{ccy}">{amount}</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>{day}</Dt></BookgDt><AcctSvcrRef>{ref}</AcctSvcrRef>{details}</Ntry>"""


def _doc(*entries: str, encoding: str = "UTF-8") -> str:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>'
        '<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>'
        "<GrpHdr><MsgId>M</MsgId></GrpHdr><Stmt><Id>S</Id>"
        "<Acct><Id><IBAN>PL27114020040000300201355387</IBAN></Id></Acct>"
        + "".join(entries)
        + "</Stmt></BkToCstmrStmt></Document>"
    )


def _entry(amount: str = "10.00", day: str = "2026-11-02", ref: str = "R1", **kw: str) -> str:
    return ENTRY.format(
        amount=amount, day=day, ref=ref, ccy=kw.get("ccy", "PLN"), details=kw.get("details", "")
    )


@pytest.mark.parametrize("amount", ["NaN", "Infinity", "1E+400", "-5.00", "1e2", "12.345", ""])
def test_hostile_amounts_are_refused(amount: str) -> None:
    with pytest.raises(camt053.CamtError):
        camt053.parse(_doc(_entry(amount=amount)).encode())


@pytest.mark.parametrize("day", ["2026-02-30", "1900-01-01", "2026-13-01", "zero"])
def test_impossible_booking_dates_are_refused(day: str) -> None:
    with pytest.raises(camt053.CamtError):
        camt053.parse(_doc(_entry(day=day)).encode())


def test_a_zero_entry_is_skipped_with_a_note_and_the_file_still_read() -> None:
    st = camt053.parse(_doc(_entry(amount="0.00", ref="ZERO"), _entry(ref="R2")).encode())
    assert [c.ref for c in st.credits] == ["R2"]
    assert st.skipped == 1
    assert st.notes == ["S: entry ZERO has amount 0.00 and was skipped"]


def test_a_doctype_is_refused_even_without_entities() -> None:
    text = _doc(_entry()).replace("?>", '?><!DOCTYPE Document SYSTEM "camt.dtd">', 1)
    with pytest.raises(camt053.CamtError, match="DTD"):
        camt053.parse(text.encode())


def test_the_currency_comes_from_the_entry_not_the_instructed_amount() -> None:
    details = (
        "<NtryDtls><TxDtls><AmtDtls><InstdAmt><Amt Ccy='EUR'>23.00</Amt></InstdAmt>"
        "<TxAmt><Amt Ccy='EUR'>23.00</Amt></TxAmt></AmtDtls>"
        "<RmtInf><Ustrd>FV/2026/10/000100</Ustrd></RmtInf></TxDtls></NtryDtls>"
    )
    st = camt053.parse(_doc(_entry(amount="98.10", details=details)).encode())
    assert [(c.amount_grosze, c.currency) for c in st.credits] == [(9810, "PLN")]


def test_structured_remittance_is_read_beside_the_unstructured() -> None:
    details = (
        "<NtryDtls><TxDtls><RmtInf><Ustrd>wpłata</Ustrd><Strd><CdtrRefInf>"
        "<Ref>FV/2026/10/000200</Ref></CdtrRefInf></Strd></RmtInf></TxDtls></NtryDtls>"
    )
    st = camt053.parse(_doc(_entry(details=details)).encode())
    assert st.credits[0].references == ("FV/2026/10/000200",)
    assert "FV/2026/10/000200" in camt053.invoice_candidates(st.credits[0].title)


def test_a_declared_iso_8859_2_file_is_read_as_written() -> None:
    details = (
        "<NtryDtls><TxDtls><RmtInf><Ustrd>Zażółć gęślą jaźń</Ustrd></RmtInf></TxDtls></NtryDtls>"
    )
    text = _doc(_entry(details=details), encoding="ISO-8859-2")
    st = camt053.parse(text.encode("iso-8859-2"))
    assert st.credits[0].title == "Zażółć gęślą jaźń"
    # Uploaded as text (JSON), the declaration decides the bytes.
    assert camt053.as_bytes(text) == text.encode("iso-8859-2")
    assert camt053.parse(camt053.as_bytes(text)).credits[0].title == "Zażółć gęślą jaźń"


def test_text_the_declared_charset_cannot_hold_is_sent_as_utf8() -> None:
    text = _doc(_entry(details="<AddtlNtryInf>€ 🙂</AddtlNtryInf>"), encoding="ISO-8859-2")
    data = camt053.as_bytes(text)
    assert data.startswith(b'<?xml version="1.0" encoding="UTF-8"?>')
    assert camt053.parse(data).credits[0].amount_grosze == 1000


def test_the_same_entry_sent_twice_in_one_file_stays_one_reference() -> None:
    iban = "PL27114020040000300201355387"
    data = build(
        "S1",
        iban,
        [SampleCredit("DUP", 500, None, "a"), SampleCredit("DUP", 500, None, "a")],
    )
    assert [c.ref for c in camt053.parse(data).credits] == ["DUP", "DUP"]  # booked once


def test_two_different_entries_sharing_a_reference_are_both_kept() -> None:
    iban = "PL27114020040000300201355387"
    data = build(
        "S1",
        iban,
        [SampleCredit("SAME", 500, None, "a"), SampleCredit("SAME", 700, None, "b")],
    )
    assert [c.ref for c in camt053.parse(data).credits] == ["SAME", "SAME/700"]
