"""Writes small ISO 20022 camt.053.001.08 statements for the demo data and the tests.

A bank would send these; eBOK only reads them (``chalicelib.domain.camt053``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from xml.sax.saxutils import escape

NS = "urn:iso:std:iso:20022:tech:xsd:camt.053.001.08"


@dataclass
class SampleCredit:
    ref: str
    amount_grosze: int
    account: str | None  # the (virtual) account credited, IBAN
    title: str
    debtor: str = "Jan Kowalski"
    debtor_account: str = "PL61109010140000071219812874"
    booking_date: str = "2026-11-20"
    currency: str = "PLN"
    debit: bool = False


def _amount(grosze: int) -> str:
    return str((Decimal(grosze) / 100).quantize(Decimal("0.01")))


def _entry(c: SampleCredit) -> str:
    e = escape
    creditor = f"<CdtrAcct><Id><IBAN>{e(c.account)}</IBAN></Id></CdtrAcct>" if c.account else ""
    return f"""
      <Ntry>
        <Amt Ccy="{e(c.currency)}">{_amount(c.amount_grosze)}</Amt>
        <CdtDbtInd>{"DBIT" if c.debit else "CRDT"}</CdtDbtInd>
        <Sts><Cd>BOOK</Cd></Sts>
        <BookgDt><Dt>{e(c.booking_date)}</Dt></BookgDt>
        <ValDt><Dt>{e(c.booking_date)}</Dt></ValDt>
        <AcctSvcrRef>{e(c.ref)}</AcctSvcrRef>
        <BkTxCd><Domn><Cd>PMNT</Cd><Fmly><Cd>RCDT</Cd><SubFmlyCd>ESCT</SubFmlyCd></Fmly></Domn></BkTxCd>
        <NtryDtls><TxDtls>
          <Refs><AcctSvcrRef>{e(c.ref)}</AcctSvcrRef><EndToEndId>NOTPROVIDED</EndToEndId></Refs>
          <RltdPties>
            <Dbtr><Pty><Nm>{e(c.debtor)}</Nm></Pty></Dbtr>
            <DbtrAcct><Id><IBAN>{e(c.debtor_account)}</IBAN></Id></DbtrAcct>
            {creditor}
          </RltdPties>
          <RmtInf><Ustrd>{e(c.title)}</Ustrd></RmtInf>
        </TxDtls></NtryDtls>
      </Ntry>"""


def camt053(
    statement_id: str,
    account_iban: str,
    credits: list[SampleCredit],
    created: str = "2026-11-20T18:00:00",
) -> bytes:
    entries = "".join(_entry(c) for c in credits)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<Document xmlns="{NS}">
  <BkToCstmrStmt>
    <GrpHdr><MsgId>{escape(statement_id)}</MsgId><CreDtTm>{created}</CreDtTm></GrpHdr>
    <Stmt>
      <Id>{escape(statement_id)}</Id>
      <ElctrncSeqNb>1</ElctrncSeqNb>
      <CreDtTm>{created}</CreDtTm>
      <Acct><Id><IBAN>{escape(account_iban)}</IBAN></Id><Ccy>PLN</Ccy></Acct>{entries}
    </Stmt>
  </BkToCstmrStmt>
</Document>
""".encode()
