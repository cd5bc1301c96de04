"""Stored consumption reports (PDF + CSV in the reports bucket), the report job's page
markers, and the anonymous peer distributions of "similar homes".

- ``PK = REPORTS#<customer no>``, ``SK = R#<period>#<kind>#<contract no>``: StoredReport, one
  per customer, contract, kind and period (the natural key of the job's idempotency). Its
  ``status`` goes ``rendering → stored → mailing → sent`` with conditional writes: a replayed
  message finds the report further on and writes or sends nothing again. The customer
  number is in the partition key, so another customer's report id is simply not found.
- ``PK = REPORTRUN#<run id>``, ``SK = <stage>#<page>``: ReportRunPage (a fan-out page done once
  per run; a redelivered page message queues nothing again; TTL 30 days).
- ``PK = PEERS#<kind>#<period>#<CITY>#<product>#<tariff>``: ``SK = C#<customer>#<contract>``
  PeerSample (one contract's figure, written by key so a rerun overwrites; TTL 400 days) and
  ``SK = SUMMARY`` PeerSummary (count and decile cut points only: what a report may compare
  with; no customer's own figure leaves the job).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from pynamodb.attributes import ListAttribute, NumberAttribute, UnicodeAttribute
from pynamodb.exceptions import PutError, UpdateError

from chalicelib.store.base import DecimalAttribute, Item
from chalicelib.store.customers import Premises, customer_pk, premises_sk

CONDITION_FAILED = "ConditionalCheckFailedException"
KIND_CODES = {"heat_season": "HS", "electricity_year": "EY"}
_CODE_KINDS = {v: k for k, v in KIND_CODES.items()}
_ID = re.compile(r"^(?:HS-(\d{4}-\d{4})|EY-(\d{4}))-([A-Za-z0-9~_.-]{1,40})$")
RUN_PAGE_TTL = timedelta(days=30)
SAMPLE_TTL = timedelta(days=400)

RENDERING, STORED, MAILING, SENT = "rendering", "stored", "mailing", "sent"


def reports_pk(customer_no: str) -> str:
    return f"REPORTS#{customer_no}"


def report_sk(kind: str, period: str, contract_no: str) -> str:
    return f"R#{period.replace('/', '-')}#{kind}#{contract_no}"


def report_id(kind: str, period: str, contract_no: str) -> str:
    """``HS-2025-2026-C-100001-H``: readable, URL-safe, and it names the item's key."""
    return f"{KIND_CODES[kind]}-{period.replace('/', '-')}-{contract_no.replace('/', '~')}"


@dataclass(frozen=True)
class ReportKey:
    kind: str
    period: str  # 2025/2026 | 2025
    contract_no: str


def parse_report_id(value: str) -> ReportKey | None:
    m = _ID.match(value)
    if m is None:
        return None
    season, year, contract = m.groups()
    if season:
        return ReportKey("heat_season", season.replace("-", "/"), contract.replace("~", "/"))
    return ReportKey("electricity_year", str(year), contract.replace("~", "/"))


class StoredReport(Item, discriminator="StoredReport"):
    report_id = UnicodeAttribute()
    customer_no = UnicodeAttribute()
    contract_no = UnicodeAttribute()
    kind = UnicodeAttribute()  # heat_season | electricity_year
    period = UnicodeAttribute()
    status = UnicodeAttribute()  # rendering | stored | mailing | sent
    claimed_at = UnicodeAttribute()
    pdf_key = UnicodeAttribute(null=True)
    csv_key = UnicodeAttribute(null=True)
    created_at = UnicodeAttribute(null=True)  # when the files were stored
    mailed_at = UnicodeAttribute(null=True)
    email_id = UnicodeAttribute(null=True)


def get_report(customer_no: str, kind: str, period: str, contract_no: str) -> StoredReport | None:
    try:
        item = Item.get(reports_pk(customer_no), report_sk(kind, period, contract_no))
    except Item.DoesNotExist:
        return None
    return item if isinstance(item, StoredReport) else None


def list_reports(customer_no: str, limit: int = 50) -> list[StoredReport]:
    """The customer's stored reports, newest period first (one Query, bounded)."""
    return [
        i
        for i in StoredReport.query(
            reports_pk(customer_no),
            StoredReport.SK.startswith("R#"),
            scan_index_forward=False,
            limit=limit,
        )
        if isinstance(i, StoredReport) and i.status in (STORED, MAILING, SENT)
    ]


def claim(customer_no: str, kind: str, period: str, contract_no: str, at: str) -> bool:
    """The first claim of a report (``attribute_not_exists``); False if it exists."""
    item = StoredReport(
        reports_pk(customer_no),
        report_sk(kind, period, contract_no),
        report_id=report_id(kind, period, contract_no),
        customer_no=customer_no,
        contract_no=contract_no,
        kind=kind,
        period=period,
        status=RENDERING,
        claimed_at=at,
    )
    try:
        item.save(condition=Item.PK.does_not_exist())
    except PutError as exc:
        if exc.cause_response_code == CONDITION_FAILED:
            return False
        raise
    return True


def retake(item: StoredReport, stale_before: str, at: str) -> bool:
    """Take over a rendering claim older than ``stale_before`` (a crashed worker)."""
    try:
        item.update(
            actions=[StoredReport.claimed_at.set(at)],
            condition=(StoredReport.status == RENDERING) & (StoredReport.claimed_at < stale_before),
        )
    except UpdateError as exc:
        if exc.cause_response_code == CONDITION_FAILED:
            return False
        raise
    return True


def mark_stored(item: StoredReport, pdf_key: str, csv_key: str, at: str) -> None:
    item.update(
        actions=[
            StoredReport.status.set(STORED),
            StoredReport.pdf_key.set(pdf_key),
            StoredReport.csv_key.set(csv_key),
            StoredReport.created_at.set(at),
        ],
        condition=StoredReport.status == RENDERING,
    )


def claim_mail(item: StoredReport, at: str) -> bool:
    """``stored → mailing`` before the e-mail goes out: at most one e-mail per report."""
    try:
        item.update(
            actions=[StoredReport.status.set(MAILING), StoredReport.mailed_at.set(at)],
            condition=StoredReport.status == STORED,
        )
    except UpdateError as exc:
        if exc.cause_response_code == CONDITION_FAILED:
            return False
        raise
    return True


def release_mail(item: StoredReport) -> None:
    """Undo the mail claim after a failed send, so the redelivered message retries it."""
    item.update(
        actions=[StoredReport.status.set(STORED), StoredReport.mailed_at.remove()],
        condition=StoredReport.status == MAILING,
    )


def mark_sent(item: StoredReport, email_id: str | None) -> None:
    actions: list[Any] = [StoredReport.status.set(SENT)]
    if email_id:
        actions.append(StoredReport.email_id.set(email_id))
    item.update(actions=actions, condition=StoredReport.status == MAILING)


# --- run pages --------------------------------------------------------------------------


class ReportRunPage(Item, discriminator="ReportRunPage"):
    run_id = UnicodeAttribute()
    stage = UnicodeAttribute()
    page = NumberAttribute()
    done_at = UnicodeAttribute()


def first_time_page(run_id: str, stage: str, page: int, now: datetime) -> bool:
    """True the first time a run's page is handled (conditional Put); False on a replay."""
    item = ReportRunPage(
        f"REPORTRUN#{run_id}",
        f"{stage}#{page:06d}",
        run_id=run_id,
        stage=stage,
        page=page,
        done_at=now.isoformat(),
        expires_at=now.astimezone(UTC) + RUN_PAGE_TTL,
    )
    try:
        item.save(condition=Item.PK.does_not_exist())
    except PutError as exc:
        if exc.cause_response_code == CONDITION_FAILED:
            return False
        raise
    return True


def premises_city(customer_no: str, premises_id: str) -> str | None:
    """The city of a customer's premises (GetItem), for the peer group of a contract."""
    try:
        item = Item.get(customer_pk(customer_no), premises_sk(premises_id))
    except Item.DoesNotExist:
        return None
    return str(item.address.city) if isinstance(item, Premises) else None


# --- peers ------------------------------------------------------------------------------


def peers_pk(kind: str, period: str, group: str) -> str:
    return f"PEERS#{kind}#{period}#{group}"


class PeerSample(Item, discriminator="PeerSample"):
    value = DecimalAttribute()


class PeerSummary(Item, discriminator="PeerSummary"):
    samples = NumberAttribute()  # figures in the group (the customer's own included)
    cuts = ListAttribute(of=UnicodeAttribute)  # p10 .. p90 as Decimal text
    computed_at = UnicodeAttribute()
    run_id = UnicodeAttribute(null=True)  # the job run that computed it


def put_sample(
    kind: str,
    period: str,
    group: str,
    customer_no: str,
    contract_no: str,
    value: Decimal,
    now: datetime,
) -> None:
    PeerSample(
        peers_pk(kind, period, group),
        f"C#{customer_no}#{contract_no}",
        value=value,
        expires_at=now.astimezone(UTC) + SAMPLE_TTL,
    ).save()


def sample_values(kind: str, period: str, group: str) -> list[Decimal]:
    """Every figure of a group (one paged Query; the job's summary step only)."""
    return [
        i.value
        for i in PeerSample.query(peers_pk(kind, period, group), PeerSample.SK.startswith("C#"))
        if isinstance(i, PeerSample)
    ]


def get_summary(kind: str, period: str, group: str) -> PeerSummary | None:
    try:
        item = Item.get(peers_pk(kind, period, group), "SUMMARY")
    except Item.DoesNotExist:
        return None
    return item if isinstance(item, PeerSummary) else None


def put_summary(
    kind: str, period: str, group: str, count: int, cuts: Sequence[Decimal], at: str, run_id: str
) -> None:
    PeerSummary(
        peers_pk(kind, period, group),
        "SUMMARY",
        samples=count,
        cuts=[str(c) for c in cuts],
        computed_at=at,
        run_id=run_id or None,
    ).save()
