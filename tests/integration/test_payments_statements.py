"""Bank statements (camt.053): matching by virtual account and invoice number, suspense,
exactly-once booking by the bank's reference (S3 → SQS → handler, admin upload)."""

from __future__ import annotations

import boto3
import pytest

from chalicelib.config import settings
from chalicelib.domain import bank
from chalicelib.services import ledger
from chalicelib.store import ledger as store
from devstack.camt_sample import SampleCredit, camt053
from devstack.event_source import failed_ids
from tests.integration.payments_support import assert_balance_consistent, ledger_snapshot

COMPANY_IBAN = "PL27114020040000300201355387"  # the utility's main account (not virtual)


def virtual_iban(customer_no: str) -> str:
    return "PL" + bank.virtual_nrb(settings().bank_sort_code, settings().payee_prefix, customer_no)


@pytest.fixture
def billed(aws, world):
    ledger.record_invoice(
        customer_no=world.individual,
        invoice_no="FV/2026/10/000100",
        gross_grosze=25_000,
        issue_date="2026-10-06",
        due_date="2026-10-20",
    )
    ledger.record_invoice(
        customer_no=world.institution,
        invoice_no="FV/2026/10/000200",
        gross_grosze=300_000,
        issue_date="2026-10-06",
        due_date="2026-10-20",
    )
    return world


def sample_file(world) -> bytes:
    return camt053(
        "2026-11-20-001",
        COMPANY_IBAN,
        [
            SampleCredit("REF-VA-1", 10_000, virtual_iban(world.individual), "opłata za ciepło"),
            SampleCredit(
                "REF-INV-1",
                30_000,
                COMPANY_IBAN,
                "Zapłata za FV/2026/10/000200 SM Przyszłość",
                debtor="SM Przyszłość",
            ),
            SampleCredit(
                "REF-UNK-1",
                7_777,
                virtual_iban("777777"),
                "czynsz listopad",
                debtor="Ktoś Nieznany",
            ),
            SampleCredit(
                "REF-VA-1", 10_000, virtual_iban(world.individual), "opłata za ciepło"
            ),  # the bank sent it twice
            SampleCredit("REF-OUT-1", 1_000, None, "opłata bankowa", debit=True),
            SampleCredit(
                "REF-EUR-1", 5_000, virtual_iban(world.individual), "payment", currency="EUR"
            ),
        ],
    )


def drain_statements_queue() -> int:
    import app

    sqs = boto3.client("sqs", region_name="eu-central-1")
    url = sqs.get_queue_url(QueueName=settings().statements_queue)["QueueUrl"]
    handled = 0
    while True:
        got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10, WaitTimeSeconds=0).get(
            "Messages", []
        )
        if not got:
            return handled
        for m in got:
            event = {
                "Records": [
                    {
                        "messageId": m["MessageId"],
                        "receiptHandle": m["ReceiptHandle"],
                        "body": m["Body"],
                        "attributes": {},
                        "messageAttributes": {},
                        "eventSource": "aws:sqs",
                        "eventSourceARN": "arn:aws:sqs:eu-central-1:123456789012:q",
                        "awsRegion": "eu-central-1",
                    }
                ]
            }
            result = app.app.handler_map["statements_import"](event, None)
            assert failed_ids(result, [m["MessageId"]]) == set(), "the import failed"
            sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
            handled += 1


def test_statement_from_the_bucket_imported_twice_gives_the_same_ledger(billed) -> None:
    s3 = boto3.client("s3", region_name="eu-central-1")
    data = sample_file(billed)
    s3.put_object(Bucket=settings().statements_bucket, Key="bank/2026-11-20.xml", Body=data)
    assert drain_statements_queue() >= 1
    once = {c: ledger_snapshot(c) for c in (billed.individual, billed.institution)}
    assert once[billed.individual]["balance"] == 15_000
    assert once[billed.institution]["balance"] == 270_000
    assert [e[0] for e in once[billed.individual]["entries"] if "TRANSFER" in e[0]] == [
        "ENTRY#TRANSFER#REF-VA-1"
    ]
    assert store.get_bank_entry("REF-INV-1").matched_by == "invoice_no"
    assert store.get_bank_entry("REF-VA-1").matched_by == "virtual_account"
    suspense = {e.ref for e in store.suspense_entries()}
    assert suspense == {"REF-UNK-1", "REF-EUR-1"}
    assert store.get_bank_entry("REF-OUT-1") is None

    # The same file again (a new key, the bank re-sent it), and the same object re-delivered.
    s3.put_object(Bucket=settings().statements_bucket, Key="bank/2026-11-20-copy.xml", Body=data)
    assert drain_statements_queue() >= 1
    from chalicelib.services import statements

    again = statements.import_file(data, "bank/2026-11-20.xml")
    assert (again["booked"], again["suspense"], again["duplicates"], again["skipped"]) == (
        0,
        0,
        5,
        1,
    )
    assert {c: ledger_snapshot(c) for c in (billed.individual, billed.institution)} == once
    assert {e.ref for e in store.suspense_entries()} == suspense
    assert_balance_consistent(billed.individual)
    assert_balance_consistent(billed.institution)


def test_admin_upload_counts_and_suspense_resolution(billed, api, login_as) -> None:
    admin = login_as("admin")
    content = sample_file(billed).decode()
    r = api.post(
        "/admin/statements",
        {"file_name": "wyciag 2026-11-20.xml", "content": content},
        headers=admin,
    )
    assert r.status == 201, r.body
    assert (
        r.json["entries"],
        r.json["booked"],
        r.json["suspense"],
        r.json["duplicates"],
        r.json["skipped"],
    ) == (5, 2, 2, 1, 1)
    assert r.json["source_key"].startswith("uploads/")
    r2 = api.post(
        "/admin/statements", {"file_name": "wyciag.xml", "content": content}, headers=admin
    )
    assert (r2.json["booked"], r2.json["suspense"], r2.json["duplicates"]) == (0, 0, 5)
    listed = api.get("/admin/statements", headers=admin).json["statements"]
    assert listed[0]["imports"] == 2

    entries = api.get("/admin/suspense", headers=admin).json["entries"]
    assert {e["ref"] for e in entries} == {"REF-UNK-1", "REF-EUR-1"}
    before = ledger_snapshot(billed.other_individual)
    # bad resolutions change nothing
    assert api.post("/admin/suspense/REF-UNK-1", {"action": "book"}, headers=admin).status == 400
    assert (
        api.post(
            "/admin/suspense/REF-UNK-1", {"action": "book", "customer_no": "999999"}, headers=admin
        ).status
        == 400
    )
    assert (
        api.post(
            "/admin/suspense/REF-EUR-1",
            {"action": "book", "customer_no": billed.individual},
            headers=admin,
        ).status
        == 422
    )
    assert (
        api.post("/admin/suspense/NO-SUCH-REF", {"action": "return"}, headers=admin).status == 404
    )
    assert ledger_snapshot(billed.other_individual) == before
    # booked on the customer the admin found (e.g. by phone)
    ok = api.post(
        "/admin/suspense/REF-UNK-1",
        {"action": "book", "customer_no": billed.other_individual, "note": "telefon klienta"},
        headers=admin,
    )
    assert ok.status == 200, ok.body
    assert ok.json["status"] == "booked" and ok.json["matched_by"] == "admin"
    after = ledger_snapshot(billed.other_individual)
    assert after["balance"] == -7_777 and after["unapplied"] == 7_777
    # a second resolution (double click, another admin) is refused and changes nothing
    assert (
        api.post(
            "/admin/suspense/REF-UNK-1",
            {"action": "book", "customer_no": billed.individual},
            headers=admin,
        ).status
        == 409
    )
    assert ledger_snapshot(billed.other_individual) == after
    assert (
        api.post(
            "/admin/suspense/REF-EUR-1",
            {"action": "return", "note": "zwrot do nadawcy"},
            headers=admin,
        ).json["status"]
        == "returned"
    )
    assert api.get("/admin/suspense", headers=admin).json["entries"] == []
    # re-importing the statement does not resurrect resolved credits
    api.post("/admin/statements", {"file_name": "wyciag.xml", "content": content}, headers=admin)
    assert api.get("/admin/suspense", headers=admin).json["entries"] == []
    assert ledger_snapshot(billed.other_individual) == after


def test_statement_routes_are_for_admins_and_bad_files_store_nothing(billed, api, login_as) -> None:
    customer = login_as("customer", [billed.individual])
    content = sample_file(billed).decode()
    assert (
        api.post(
            "/admin/statements", {"file_name": "a.xml", "content": content}, headers=customer
        ).status
        == 403
    )
    assert api.get("/admin/suspense", headers=customer).status == 403
    assert (
        api.post("/admin/suspense/REF-UNK-1", {"action": "return"}, headers=customer).status == 403
    )
    admin = login_as("admin")
    assert ">100.00<" in content
    for bad in (
        "<Document>not a statement</Document>",
        "x" * 30,
        content.replace(">100.00<", ">1O0.00<"),
    ):
        r = api.post("/admin/statements", {"file_name": "a.xml", "content": bad}, headers=admin)
        assert r.status == 400, r.body
        assert r.json["errors"][0]["code"] == "statements.invalid_file"
    assert (
        api.post(
            "/admin/statements",
            {"file_name": "../../etc/passwd", "content": content},
            headers=admin,
        ).status
        == 400
    )
    assert store.get_bank_entry("REF-VA-1") is None
    objects = boto3.client("s3", region_name="eu-central-1").list_objects_v2(
        Bucket=settings().statements_bucket
    )
    assert objects.get("KeyCount", 0) == 0
    assert ledger_snapshot(billed.individual)["balance"] == 25_000


def test_a_file_that_is_not_camt_in_the_bucket_is_dropped(billed) -> None:
    s3 = boto3.client("s3", region_name="eu-central-1")
    s3.put_object(Bucket=settings().statements_bucket, Key="bank/readme.txt", Body=b"hello")
    assert drain_statements_queue() >= 1  # handled, not re-raised forever
    assert ledger_snapshot(billed.individual)["balance"] == 25_000
