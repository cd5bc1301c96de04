"""camt.053 reading: booked credits only, batch entries, references, hostile XML refused."""

from __future__ import annotations

import pytest

from chalicelib.domain import bank, camt053
from devstack.camt_sample import SampleCredit
from devstack.camt_sample import camt053 as build

NRB = bank.virtual_nrb("10901014", "9876", "100001")
IBAN = "PL" + NRB


def test_reads_credits_with_virtual_account_title_and_reference() -> None:
    data = build(
        "STMT-1",
        "PL27114020040000300201355387",
        [
            SampleCredit("REF-1", 12_345, IBAN, "Faktura FV/2026/11/000123"),
            SampleCredit("REF-2", 500, None, "wpłata"),
            SampleCredit("REF-3", 9_999, IBAN, "przelew wychodzący", debit=True),
        ],
    )
    st = camt053.parse(data)
    assert st.statement_id == "STMT-1"
    assert st.account == "PL27114020040000300201355387"
    assert st.skipped == 1  # the debit
    first, second = st.credits
    assert (first.ref, first.amount_grosze, first.account, first.currency) == (
        "REF-1",
        12_345,
        IBAN,
        "PLN",
    )
    assert first.title == "Faktura FV/2026/11/000123"
    assert first.debtor_name == "Jan Kowalski" and first.booking_date == "2026-11-20"
    assert second.account is None and second.amount_grosze == 500


def test_batch_entry_gives_one_credit_per_transaction() -> None:
    xml = b"""<?xml version="1.0"?>
<Document xmlns="urn:iso:std:iso:20022:tech:xsd:camt.053.001.02"><BkToCstmrStmt>
<GrpHdr><MsgId>M1</MsgId></GrpHdr><Stmt><Id>S1</Id>
<Ntry><Amt Ccy="PLN">30.50</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>
<BookgDt><Dt>2026-11-02</Dt></BookgDt><ValDt><Dt>2026-11-02</Dt></ValDt><AcctSvcrRef>BATCH9</AcctSvcrRef>
<NtryDtls>
<TxDtls><AmtDtls><TxAmt><Amt Ccy="PLN">10.25</Amt></TxAmt></AmtDtls><RmtInf><Ustrd>a</Ustrd></RmtInf></TxDtls>
<TxDtls><AmtDtls><TxAmt><Amt Ccy="PLN">20.25</Amt></TxAmt></AmtDtls><RmtInf><Ustrd>b</Ustrd></RmtInf></TxDtls>
</NtryDtls></Ntry>
<Ntry><Amt Ccy="PLN">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><RvslInd>true</RvslInd><Sts>BOOK</Sts>
<BookgDt><Dt>2026-11-02</Dt></BookgDt><AcctSvcrRef>REV1</AcctSvcrRef></Ntry>
<Ntry><Amt Ccy="PLN">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>PDNG</Sts>
<BookgDt><Dt>2026-11-02</Dt></BookgDt><AcctSvcrRef>PEND1</AcctSvcrRef></Ntry>
</Stmt></BkToCstmrStmt></Document>"""
    st = camt053.parse(xml)
    assert [(c.ref, c.amount_grosze, c.title) for c in st.credits] == [
        ("BATCH9-1", 1025, "a"),
        ("BATCH9-2", 2025, "b"),
    ]
    assert st.skipped == 2


@pytest.mark.parametrize(
    "data",
    [
        b"not xml at all",
        b"<Document><Other/></Document>",
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]><Document>&b;</Document>',
        b'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><Document>&x;</Document>',
        build("S", "PL27114020040000300201355387", [SampleCredit("R", 1, IBAN, "t")]).replace(
            b"0.01", b"0.011"
        ),
    ],
)
def test_unreadable_or_hostile_files_are_refused(data: bytes) -> None:
    with pytest.raises(camt053.CamtError):
        camt053.parse(data)


def test_invoice_number_candidates_in_a_title() -> None:
    title = "Opłata za fakturę FV/2026/11/000123, klient 100001; fv-2026-000045."
    assert camt053.invoice_candidates(title) == ["FV/2026/11/000123", "100001", "FV-2026-000045"]
    assert camt053.invoice_candidates("czynsz za listopad") == []


def test_virtual_account_has_valid_check_digits_and_maps_back() -> None:
    from stdnum import iban

    for customer_no in ("100001", "200002", "1", "999999999999"):
        nrb = bank.virtual_nrb("10901014", "9876", customer_no)
        assert iban.is_valid("PL" + nrb)
        assert bank.customer_no_from_nrb("PL" + nrb, "10901014", "9876") == customer_no
    other_bank = bank.virtual_nrb("11402004", "9876", "100001")
    assert bank.customer_no_from_nrb(other_bank, "10901014", "9876") is None
    assert (
        bank.customer_no_from_nrb(NRB[:-1] + str((int(NRB[-1]) + 1) % 10), "10901014", "9876")
        is None
    )
