"""The report job: heating-season reports after the season (1 May) and electricity yearly
reports (January), stored in S3 and announced by e-mail.

It fans out through the reports queue in three kinds of message, each bounded work:

1. ``peers`` pages (one page of the contract index each, the next page handed on with its
   cursor): every contract of the product in force in the period is projected again
   (``services.consumption.project``) and its figure (heat GJ per MW ordered, kWh a year)
   is written as an anonymous sample of its group (city, product, tariff group);
2. after the last ``peers`` page, ``render`` pages walk the index again and queue one
   ``report`` message per contract (so every group is complete before any report compares);
3. ``report``: one report of one contract. Idempotent by the natural key (customer,
   contract, kind, period): ``store.reports.claim`` before rendering, ``mark_stored`` after
   the two S3 objects (PDF + CSV, fixed keys), ``claim_mail`` before the e-mail. A replay
   finds the report stored or sent and writes and sends nothing.

A run's page is handled once (``store.reports.first_time_page``), so a redelivered page
message queues nothing twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from chalicelib.config import settings
from chalicelib.domain import clock
from chalicelib.domain import consumption as rules
from chalicelib.domain.ids import new_id
from chalicelib.observability import logger, metrics
from chalicelib.services import consumption
from chalicelib.services.reports import (
    HEAT,
    POWER,
    ContractInfo,
    default_season,
    peer_group,
    season_report_data,
    year_report_data,
)
from chalicelib.store import consumption as usage_store
from chalicelib.store import reports as store
from chalicelib.store.customers import (
    Contract,
    Customer,
    Premises,
    contracts_page,
    customer_collection,
)

PAGE_SIZE = 100
# A rendering claim older than this belongs to a crashed worker (Lambda timeout 120 s <
# STALE_CLAIM 240 s < the queue's visibility timeout 360 s).
STALE_CLAIM = timedelta(seconds=240)
PRODUCT = {HEAT: "heat", POWER: "electricity"}


class JobError(ValueError):
    """A run that cannot start (bad season or year); nothing is queued."""


@dataclass(frozen=True)
class Run:
    kind: str
    period: str


def runs_for(detail: Mapping[str, Any], today: date) -> list[Run]:
    """``season`` → heat; ``year`` → electricity; neither: the schedule's month decides (May:
    the season just ended; January: last year), any other day both."""
    out = []
    if detail.get("season"):
        season = str(detail["season"])
        if len(season) != 9 or season[4] != "/" or not (season[:4] + season[5:]).isdigit():
            raise JobError(f"season must look like 2025/2026, got {season!r}")
        if int(season[5:]) != int(season[:4]) + 1:
            raise JobError(f"a season spans two consecutive years, got {season!r}")
        out.append(Run(HEAT, season))
    if detail.get("year"):
        year = str(detail["year"])
        if len(year) != 4 or not year.isdigit():
            raise JobError(f"year must look like 2025, got {year!r}")
        out.append(Run(POWER, year))
    if out:
        return out
    if today.month != 1:
        out.append(Run(HEAT, default_season(today)))
    if today.month != 5:
        out.append(Run(POWER, str(today.year - 1)))
    return out


def _ended(run: Run, today: date) -> bool:
    last = f"{run.period[5:]}-04-30" if run.kind == HEAT else f"{run.period}-12-31"
    return today > date.fromisoformat(last)


def start(detail: Mapping[str, Any]) -> dict[str, Any]:
    """The scheduled job (and ``python -m devstack job reports_run --season 2025/2026``):
    queues the first ``peers`` page of every run."""
    from chalicelib.adapters import sqs

    today = consumption.today()
    try:
        runs = runs_for(detail, today)
    except JobError as exc:
        logger.error("reports run refused", extra={"reason": str(exc)})
        return {"refused": str(exc), "runs": []}
    started = []
    for run in runs:
        if not _ended(run, today):
            started.append({"kind": run.kind, "period": run.period, "refused": "period not ended"})
            continue
        run_id = new_id()
        sqs.send_batch(
            settings().reports_queue,
            [{"stage": "peers", "kind": run.kind, "period": run.period, "run": run_id, "page": 0}],
        )
        started.append({"kind": run.kind, "period": run.period, "run": run_id})
    logger.info("reports run started", extra={"runs": len(started)})
    return {"runs": started}


def handle(body: Mapping[str, Any]) -> str:
    """One message of the reports queue (see the module's docstring)."""
    stage = str(body.get("stage", ""))
    if stage in ("peers", "render"):
        return _page(body)
    if stage == "report":
        return render_one(
            str(body["customer_no"]),
            str(body["contract_no"]),
            str(body["kind"]),
            str(body["period"]),
            str(body.get("run", "")),
        )
    raise ValueError(f"unknown reports message stage {stage!r}")


def _in_force(c: Contract, kind: str, period: str) -> bool:
    if c.product != PRODUCT[kind]:
        return False
    first, last = (
        (f"{period[:4]}-10-01", f"{period[5:]}-04-30")
        if kind == HEAT
        else (f"{period}-01-01", f"{period}-12-31")
    )
    return c.start_date <= last and (not c.end_date or c.end_date >= first)


def _page(body: Mapping[str, Any]) -> str:
    from chalicelib.adapters import sqs

    stage, kind, period = str(body["stage"]), str(body["kind"]), str(body["period"])
    run_id, page = str(body["run"]), int(body["page"])
    if not store.first_time_page(run_id, stage, page, clock.now()):
        return "page_replayed"
    contracts, cursor = contracts_page(PAGE_SIZE, body.get("cursor"))
    chosen = [c for c in contracts if _in_force(c, kind, period)]
    out: list[dict[str, Any]] = []
    if stage == "peers":
        for c in chosen:
            _sample(c, kind, period)
    else:
        out = [
            {
                "stage": "report",
                "kind": kind,
                "period": period,
                "run": run_id,
                "customer_no": c.customer_no,
                "contract_no": c.contract_no,
            }
            for c in chosen
        ]
    base = {"kind": kind, "period": period, "run": run_id}
    if cursor is not None:
        out.append({**base, "stage": stage, "page": page + 1, "cursor": cursor})
    elif stage == "peers":  # every sample is in: the reports may compare now
        out.append({**base, "stage": "render", "page": 0})
    sqs.send_batch(settings().reports_queue, out)
    return f"{stage}_page"


def _figure(customer_no: str, c: Contract, kind: str, period: str) -> Decimal | None:
    if kind == HEAT:
        months = rules.season_months(period)
        rows = consumption.rows_of(
            usage_store.months(customer_no, c.contract_no, months[0], months[-1])
        )
        return rules.season_intensity({r.key: r for r in rows}, period, c.ordered_capacity_mw)
    rows = consumption.rows_of(
        usage_store.months(customer_no, c.contract_no, f"{period}-01", f"{period}-12")
    )
    return rules.year_energy({r.key: r for r in rows}, int(period))


def _sample(c: Contract, kind: str, period: str) -> None:
    """Project the contract again and record its figure in its group (by key: a rerun
    overwrites its own sample)."""
    consumption.project(c.customer_no, c.contract_no)
    value = _figure(c.customer_no, c, kind, period)
    city = store.premises_city(c.customer_no, c.premises_id)
    if value is None or city is None:
        return
    group = peer_group(city, c.product, c.tariff_group)
    store.put_sample(kind, period, group, c.customer_no, c.contract_no, value, clock.now())


def ensure_summary(kind: str, period: str, group: str, run_id: str) -> None:
    """The group's decile cut points, computed once per run by the first report of the
    group (the samples are complete: render pages start after the last peers page)."""
    found = store.get_summary(kind, period, group)
    if found is not None and (not run_id or found.run_id == run_id):
        return
    values = store.sample_values(kind, period, group)
    store.put_summary(
        kind, period, group, len(values), rules.decile_cuts(values), clock.now_iso(), run_id
    )


# --- one report -------------------------------------------------------------------------


@dataclass(frozen=True)
class Owner:
    info: ContractInfo
    customer: Customer


def _owner(customer_no: str, contract_no: str) -> Owner | None:
    items = customer_collection(customer_no)
    customer = next((i for i in items if isinstance(i, Customer)), None)
    contract = next(
        (i for i in items if isinstance(i, Contract) and i.contract_no == contract_no), None
    )
    if customer is None or contract is None:
        return None
    premises = next(
        (i for i in items if isinstance(i, Premises) and i.premises_id == contract.premises_id),
        None,
    )
    city = str(premises.address.city) if premises is not None else ""
    return Owner(ContractInfo(customer_no, contract, city), customer)


def report_doc(info: ContractInfo, kind: str, period: str) -> dict[str, Any] | None:
    """The report document, or None when the contract has no use in the period."""
    if kind == HEAT:
        doc = season_report_data(info, period, "pl")
        return doc if Decimal(doc["data"]["season"]["heat_gj"]) > 0 else None
    doc = year_report_data(info, int(period), "pl")
    return doc if Decimal(doc["data"]["total_kwh"]) > 0 else None


def file_keys(customer_no: str, contract_no: str, kind: str, period: str) -> tuple[str, str]:
    """One object pair per customer, contract and period (fixed: a rerun names the same)."""
    stem = f"{customer_no}/{contract_no.replace('/', '_')}/{kind}-{period.replace('/', '-')}"
    return f"{stem}.pdf", f"{stem}.csv"


def _claim(existing: store.StoredReport | None, key: store.ReportKey, customer_no: str) -> bool:
    now = clock.now()
    if existing is None:
        return store.claim(customer_no, key.kind, key.period, key.contract_no, clock.iso(now))
    stale = clock.iso(now - STALE_CLAIM)
    return store.retake(existing, stale, clock.iso(now))


def render_one(customer_no: str, contract_no: str, kind: str, period: str, run_id: str = "") -> str:
    """Render, store and announce one report; a replay changes nothing."""
    from chalicelib.adapters import s3
    from chalicelib.render import report_pdf

    existing = store.get_report(customer_no, kind, period, contract_no)
    if existing is not None and existing.status in (store.MAILING, store.SENT):
        return "exists"
    if existing is None or existing.status == store.RENDERING:
        owner = _owner(customer_no, contract_no)
        if owner is None:
            return "no_contract"
        if owner.info.city:
            c = owner.info.contract
            ensure_summary(
                kind, period, peer_group(owner.info.city, c.product, c.tariff_group), run_id
            )
        doc = report_doc(owner.info, kind, period)
        if doc is None:
            return "no_data"
        if not _claim(existing, store.ReportKey(kind, period, contract_no), customer_no):
            return "busy"  # another worker renders it now
        pdf_key, csv_key = file_keys(customer_no, contract_no, kind, period)
        bucket = settings().reports_bucket
        customer = {"name": owner.customer.name}
        s3.put_object(
            bucket,
            pdf_key,
            report_pdf.render_report(doc, customer, consumption.today()),
            "application/pdf",
        )
        s3.put_object(bucket, csv_key, report_pdf.report_csv(doc), "text/csv; charset=utf-8")
        existing = store.get_report(customer_no, kind, period, contract_no)
        assert existing is not None
        store.mark_stored(existing, pdf_key, csv_key, clock.now_iso())
        metrics.add_metric(name="ReportsStored", unit="Count", value=1)
    return _announce(existing, customer_no)


def _announce(report: store.StoredReport, customer_no: str) -> str:
    """The e-mail with a link into the portal, at most once (``stored → mailing → sent``)."""
    from chalicelib.adapters import ses
    from chalicelib.render import report_mail
    from chalicelib.services import preferences
    from chalicelib.store.customers import get_customer

    customer = get_customer(customer_no)
    if customer is None or not customer.email:
        return "stored"
    # New documents and reports (preferences: ``document_new``); switched off: recorded.
    terms = preferences.email_terms(customer_no, "document_new", report.report_id)
    if terms is None:
        return "unwanted"
    if not store.claim_mail(report, clock.now_iso()):
        return "exists"
    mail = report_mail.report_ready_mail(
        terms[0], report.kind, report.period, report.contract_no, report.report_id, terms[1]
    )
    try:
        message_id = ses.send_email(
            [customer.email], mail.subject, mail.text, mail.html, headers=mail.headers
        )
    except Exception:
        store.release_mail(report)
        raise
    store.mark_sent(report, message_id)
    return "sent"
