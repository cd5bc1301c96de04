"""Statement booking as a fan-out (issue 10) and camt.053 from real banks through the whole
import (issue 13, findings 5 and 6): pages on SQS booked by workers exactly once, files that
cannot be read reported to the administrators, foreign accounts refused, every statement of
a multi-statement file recorded, declared encodings honoured."""

from __future__ import annotations

import json
from pathlib import Path

import boto3
import pytest

from chalicelib.config import settings
from chalicelib.services import statements
from chalicelib.store import ledger as store
from devstack.camt_sample import SampleCredit, camt053
from tests.integration.payments_support import ledger_snapshot
from tests.integration.test_payments_statements import (
    COMPANY_IBAN,
    drain_statements_queue,
    virtual_iban,
)

DATA = Path(__file__).resolve().parents[1] / "data" / "camt053"


@pytest.fixture
def billed(aws, world):
    """The demo world with an open invoice of 250,00 zł for the individual customer."""
    from chalicelib.services import ledger

    ledger.record_invoice(
        customer_no=world.individual,
        invoice_no="FV/2026/10/000100",
        gross_grosze=25_000,
        issue_date="2026-10-06",
        due_date="2026-10-20",
    )
    return world


def _queue_depth() -> int:
    sqs = boto3.client("sqs", region_name="eu-central-1")
    url = sqs.get_queue_url(QueueName=settings().statements_queue)["QueueUrl"]
    attrs = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["ApproximateNumberOfMessages"])
    return int(attrs["Attributes"]["ApproximateNumberOfMessages"])


def _big_statement(world, n: int) -> bytes:
    credits = [
        SampleCredit(f"BIG-{i:04d}", 100 + i, virtual_iban(world.individual), f"wpłata {i}")
        if i % 2
        else SampleCredit(f"BIG-{i:04d}", 100 + i, None, f"nieznana {i}", debtor="Ktoś")
        for i in range(n)
    ]
    return camt053("2026-11-21-BIG", COMPANY_IBAN, credits)


def _listed(api, admin) -> list[dict]:
    r = api.get("/admin/statements", headers=admin)
    assert r.status == 200, r.body
    return list(r.json["statements"])


def test_a_long_statement_is_booked_by_workers_in_pages_once(billed, api, login_as) -> None:
    admin = login_as("admin")
    data = _big_statement(billed, 250)
    r = api.post(
        "/admin/statements", {"file_name": "big.xml", "content": data.decode()}, headers=admin
    )
    assert r.status == 201, r.body
    assert (r.json["pages"], r.json["status"], r.json["booked"]) == (3, "queued", 0)
    statement_id = r.json["statement_id"]
    # 3 pages plus the bucket's own notification of the uploaded object.
    assert _queue_depth() >= 4
    drain_statements_queue()
    # The bucket's notification imported the uploaded object once more: the record shows
    # that latest import (every credit a duplicate), complete.
    record = next(s for s in _listed(api, admin) if s["statement_id"] == statement_id)
    assert record["status"] == "booked" and record["pages_done"] == record["pages"] == 3
    assert record["booked"] + record["suspense"] + record["duplicates"] == 250
    booked = [store.get_bank_entry(f"BIG-{i:04d}") for i in range(250)]
    assert all(e is not None for e in booked)
    assert sum(e.status == "booked" for e in booked) == 125
    assert sum(e.status == "suspense" for e in booked) == 125
    balance = ledger_snapshot(billed.individual)["balance"]
    assert balance == 25_000 - sum(100 + i for i in range(250) if i % 2)

    # Replay: a page delivered again changes nothing (credits by bank reference, the page's
    # counts by its marker).
    page = {
        "statement_page": {
            "statement_id": statement_id,
            "import": int(record["imports"]),
            "page": 1,
            "credits": [
                statements._credit_body(c)  # noqa: SLF001 (the message shape itself)
                for c in statements.read_file(data).credits[:100]
            ],
        }
    }
    statements.handle_queue_message(json.dumps(page))
    again = next(s for s in _listed(api, admin) if s["statement_id"] == statement_id)
    assert {k: again[k] for k in ("booked", "suspense", "duplicates", "pages_done")} == {
        k: record[k] for k in ("booked", "suspense", "duplicates", "pages_done")
    }
    assert ledger_snapshot(billed.individual)["balance"] == balance


def test_pages_queued_by_an_import_are_booked_by_the_worker(billed, api, login_as) -> None:
    """Without the bucket's second import: the first import's three pages, drained."""
    result = statements.import_file(_big_statement(billed, 250), "bank/big.xml")
    assert (result["pages"], result["status"]) == (3, "queued")
    drain_statements_queue()
    admin = login_as("admin")
    record = next(s for s in _listed(api, admin) if s["statement_id"] == result["statement_id"])
    assert (record["booked"], record["suspense"], record["duplicates"]) == (125, 125, 0)
    assert record["status"] == "booked" and record["pages_done"] == 3


def test_a_malformed_file_in_the_bucket_is_reported_to_administrators(
    billed, api, login_as, caplog
) -> None:
    s3 = boto3.client("s3", region_name="eu-central-1")
    s3.put_object(Bucket=settings().statements_bucket, Key="bank/broken.xml", Body=b"<Document")
    assert drain_statements_queue() >= 1
    admin = login_as("admin")
    rejected = [s for s in _listed(api, admin) if s.get("status") == "rejected"]
    assert len(rejected) == 1
    assert rejected[0]["source_key"] == "bank/broken.xml"
    assert "not well-formed" in rejected[0]["reason"]


def test_a_file_too_large_is_reported_without_being_read(billed, api, login_as) -> None:
    record = {
        "eventName": "ObjectCreated:Put",
        "s3": {
            "bucket": {"name": settings().statements_bucket},
            "object": {"key": "bank/huge.xml", "size": 6_000_000},
        },
    }
    assert statements.handle_message({"Records": [record]}) == []  # never downloaded
    admin = login_as("admin")
    rejected = [s for s in _listed(api, admin) if s.get("status") == "rejected"]
    assert [s["source_key"] for s in rejected] == ["bank/huge.xml"]
    assert "too large" in rejected[0]["reason"]


def test_a_statement_of_another_account_is_refused_and_nothing_stored(
    billed, api, login_as
) -> None:
    admin = login_as("admin")
    data = camt053(
        "OTHER-1",
        "PL10105000997603123456789123",
        [SampleCredit("OTH-1", 10_000, virtual_iban(billed.individual), "wpłata")],
    )
    r = api.post(
        "/admin/statements", {"file_name": "o.xml", "content": data.decode()}, headers=admin
    )
    assert r.status == 400
    assert r.json["errors"][0]["code"] == "statements.foreign_account"
    assert store.get_bank_entry("OTH-1") is None
    assert ledger_snapshot(billed.individual)["balance"] == 25_000


def test_the_demo_camt052_file_is_refused_clearly(billed, api, login_as) -> None:
    admin = login_as("admin")
    content = (DATA / "genkgo-camt052.v2.xml").read_text(encoding="utf-8")
    r = api.post("/admin/statements", {"file_name": "r.xml", "content": content}, headers=admin)
    assert r.status == 400
    assert "camt.052" in r.json["errors"][0]["message"]


@pytest.fixture
def foreign_samples_are_ours(monkeypatch):
    """The published samples are Dutch and Swiss accounts: for these tests they are ours."""
    accounts = "NL26VAYB8060476890,CH1111000000123456789," + COMPANY_IBAN
    monkeypatch.setenv("STATEMENT_ACCOUNTS", accounts)
    settings.cache_clear()
    yield
    settings.cache_clear()


def test_every_statement_of_a_multi_statement_file_is_recorded(
    billed, api, login_as, foreign_samples_are_ours
) -> None:
    result = statements.import_file((DATA / "genkgo-camt053.v2.multi.statement.xml").read_bytes())
    assert result["statements"] == [
        "NL26VAYB8060476890/253EURNL26VAYB8060476890",
        "NL26VAYB8060476890/254EURNL26VAYB8060476890",
    ]
    admin = login_as("admin")
    listed = {s["statement_id"]: s for s in _listed(api, admin)}
    assert listed["NL26VAYB8060476890/253EURNL26VAYB8060476890"]["suspense"] == 1  # EUR
    assert listed["NL26VAYB8060476890/254EURNL26VAYB8060476890"]["skipped"] == 1


def test_two_credits_sharing_a_reference_both_reach_suspense(
    billed, foreign_samples_are_ours
) -> None:
    data = (DATA / "oca-camt053-txdtls.xml").read_bytes()
    first = statements.import_file(data)
    assert (first["entries"], first["suspense"], first["duplicates"]) == (2, 2, 0)
    amounts = sorted(int(e.amount_grosze) for e in store.suspense_entries())
    assert amounts == [129_600, 218_700]
    again = statements.import_file(data)
    assert (again["suspense"], again["duplicates"]) == (0, 2)


def test_an_iso_8859_2_upload_keeps_its_polish_letters(billed, api, login_as) -> None:
    admin = login_as("admin")
    text = (
        camt053(
            "PL-8859",
            COMPANY_IBAN,
            [SampleCredit("ENC-1", 4_200, None, "Zażółć gęślą jaźń", debtor="Łucja Ćwik")],
        )
        .decode()
        .replace('encoding="UTF-8"', 'encoding="ISO-8859-2"')
    )
    r = api.post("/admin/statements", {"file_name": "p.xml", "content": text}, headers=admin)
    assert r.status == 201, r.body
    entry = store.get_bank_entry("ENC-1")
    assert entry is not None
    assert (entry.title, entry.debtor_name) == ("Zażółć gęślą jaźń", "Łucja Ćwik")
    stored = (
        boto3.client("s3", region_name="eu-central-1")
        .get_object(Bucket=settings().statements_bucket, Key=r.json["source_key"])["Body"]
        .read()
    )
    assert "Zażółć".encode("iso-8859-2") in stored
