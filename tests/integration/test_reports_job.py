"""The report job: fan-out through the reports queue, PDF + CSV in the reports bucket, one
e-mail per report with a portal link, idempotent reruns, the stored-report routes."""

from __future__ import annotations

import csv
import io
from typing import Any

import boto3
import pytest

from devstack.metering import count_calls
from tests.integration.consumption_helpers import heat_history, power_history
from tests.integration.invoicing_helpers import (
    REGION,
    drain,
    load_tariffs,
    parsed,
    run_schedule,
    sent_emails,
)

QUEUE = "ebok-local-reports"
BUCKET = "ebok-local-reports"


@pytest.fixture
def report_world(world):
    from chalicelib.services import consumption

    load_tariffs()
    heat_history(world)
    power_history(world)
    consumption.project(world.individual)
    consumption.project(world.other_individual)
    return world


def _objects() -> dict[str, Any]:
    s3 = boto3.client("s3", region_name=REGION)
    found = s3.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    return {o["Key"]: (o["ETag"], o["LastModified"]) for o in found}


def _run(detail: dict[str, str]) -> tuple[dict[str, Any], list[str]]:
    with count_calls() as log:
        started = run_schedule("reports_run", detail)
        drain(QUEUE, "reports_worker", batch=5)
    return started, log.of("s3")


def test_season_run_stores_pdf_and_csv_and_mails_a_portal_link(api, report_world, login_as) -> None:
    w = report_world
    started, s3_calls = _run({"season": "2025/2026"})
    assert [r["kind"] for r in started["runs"]] == ["heat_season"]
    objects = _objects()
    stem = f"{w.individual}/C-100001-H/heat_season-2025-2026"
    # Jan's heat contract has readings; the institution's contracts have none (no report).
    assert set(objects) == {f"{stem}.pdf", f"{stem}.csv"}
    assert s3_calls.count("PutObject") == 2
    body = boto3.client("s3", region_name=REGION).get_object(Bucket=BUCKET, Key=f"{stem}.pdf")
    assert body["Body"].read(5) == b"%PDF-"
    raw = boto3.client("s3", region_name=REGION).get_object(Bucket=BUCKET, Key=f"{stem}.csv")
    text = raw["Body"].read().decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text[1:]), delimiter=";"))
    assert rows[0][2] == "Miesiąc" and [r[2] for r in rows[1:]][0] == "2025-10"
    # HEAT: Oct 3, Nov 6, Dec 8, Jan 9, Feb 8, Mar 6, Apr 4 GJ (consumption_helpers.HEAT)
    assert [r[3] for r in rows[1:]] == [f"{g},000" for g in (3, 6, 8, 9, 8, 6, 4)]

    mails = [parsed(m) for m in sent_emails()]
    assert len(mails) == 1
    mail = mails[0]
    assert mail["To"] == "jan.kowalski@example.pl"
    assert "raport sezonu grzewczego 2025/2026" in mail["Subject"]
    plain = mail.get_body(preferencelist=("plain",))
    assert plain is not None
    text_part = plain.get_content()
    assert "#/consumption?report=HS-2025-2026-C-100001-H" in text_part
    assert not list(mail.iter_attachments())  # a link, never the document

    headers = login_as("customer", [w.individual])
    listed = api.get(f"/customers/{w.individual}/reports", headers=headers)
    assert listed.status == 200, listed.body
    assert [r["report_id"] for r in listed.json["reports"]] == ["HS-2025-2026-C-100001-H"]
    link = api.get(
        f"/customers/{w.individual}/reports/HS-2025-2026-C-100001-H?file=pdf", headers=headers
    )
    assert link.status == 200, link.body
    assert link.json["expires_in"] == 300 and "X-Amz-Expires=300" in link.json["url"]
    assert stem.split("/")[-1] in link.json["url"]


def test_rerun_writes_nothing_and_sends_nothing(report_world) -> None:
    _run({"season": "2025/2026"})
    before = _objects()
    assert len(sent_emails()) == 1
    started, s3_calls = _run({"season": "2025/2026"})
    assert started["runs"][0]["run"]  # a new run, same natural keys
    assert "PutObject" not in s3_calls
    assert _objects() == before  # same ETags and times: nothing rewritten
    assert len(sent_emails()) == 1


def test_replayed_report_message_changes_nothing(report_world) -> None:
    from chalicelib.services import report_job

    w = report_world
    first = report_job.render_one(w.individual, "C-100001-H", "heat_season", "2025/2026")
    again = report_job.render_one(w.individual, "C-100001-H", "heat_season", "2025/2026")
    assert (first, again) == ("sent", "exists")
    assert len(sent_emails()) == 1 and len(_objects()) == 2


def test_failed_email_is_retried_once_not_twice(report_world, monkeypatch) -> None:
    from chalicelib.adapters import ses
    from chalicelib.services import report_job

    w = report_world
    real = ses.send_email
    calls = {"n": 0}

    def flaky(*args: Any, **kwargs: Any) -> str:
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("SES down")
        return real(*args, **kwargs)

    monkeypatch.setattr(ses, "send_email", flaky)
    with pytest.raises(RuntimeError):
        report_job.render_one(w.individual, "C-100001-H", "heat_season", "2025/2026")
    with count_calls() as log:  # the redelivery: files stored already, only the e-mail
        assert (
            report_job.render_one(w.individual, "C-100001-H", "heat_season", "2025/2026") == "sent"
        )
    assert "PutObject" not in log.of("s3")
    assert len(sent_emails()) == 1


def test_electricity_year_run(report_world) -> None:
    w = report_world
    started, _ = _run({"year": "2025"})
    assert [r["kind"] for r in started["runs"]] == ["electricity_year"]
    stem = f"{w.other_individual}/C-100002-E/electricity_year-2025"
    assert set(_objects()) == {f"{stem}.pdf", f"{stem}.csv"}
    assert [parsed(m)["To"] for m in sent_emails()] == ["maria.w@example.pl"]


def test_bad_season_and_unfinished_season_queue_nothing(report_world) -> None:
    assert "refused" in run_schedule("reports_run", {"season": "2025/2027"})
    assert "refused" in run_schedule("reports_run", {"season": "25/26"})
    from chalicelib.domain import clock

    year = clock.to_warsaw(clock.now()).year  # the season from this autumn has not ended
    started = run_schedule("reports_run", {"season": f"{year}/{year + 1}"})
    assert started["runs"][0]["refused"] == "period not ended"
    assert drain(QUEUE, "reports_worker")["done"] == 0
    assert _objects() == {}


def test_another_customers_report_is_404(api, report_world, login_as) -> None:
    w = report_world
    _run({"season": "2025/2026"})
    maria = login_as("customer", [w.other_individual])
    # Maria asks for Jan's report under her own number, and under Jan's.
    own = api.get(
        f"/customers/{w.other_individual}/reports/HS-2025-2026-C-100001-H?file=pdf", headers=maria
    )
    assert own.status == 404
    assert api.get(f"/customers/{w.other_individual}/reports", headers=maria).json["reports"] == []
    theirs = api.get(
        f"/customers/{w.individual}/reports/HS-2025-2026-C-100001-H?file=pdf", headers=maria
    )
    assert theirs.status in (403, 404)
    jan = login_as("customer", [w.individual])
    bad = api.get(
        f"/customers/{w.individual}/reports/HS-2025-2026-C-100001-H?file=exe", headers=jan
    )
    assert bad.status == 400 and bad.headers["Content-Type"].startswith("application/problem+json")
    unknown = api.get(f"/customers/{w.individual}/reports/nonsense?file=pdf", headers=jan)
    assert unknown.status == 404
