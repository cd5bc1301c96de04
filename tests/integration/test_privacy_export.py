""" "Moje dane": the export of a demo customer (seeded by the real demo steps) holds every kind
of record the issue lists and nothing of any other customer; the job e-mails a link to the
portal (never the data) and the download link is short-lived; replays create nothing;
erasure/restriction cases show what must be kept and until when and anonymise the rest once;
staff reads are logged and shown to the customer."""

from __future__ import annotations

import io
import json
import zipfile
from email import message_from_bytes
from email.policy import default

import boto3
import pytest

from chalicelib.domain import privacy as rules
from chalicelib.store import customers as customer_store
from chalicelib.store import privacy as store
from tests.integration.invoicing_helpers import drain
from tests.support import seeded_demo

REGION = "eu-central-1"
JAN = "100001"


def _sent() -> list:
    from moto.core import DEFAULT_ACCOUNT_ID
    from moto.ses.models import ses_backends

    return list(ses_backends[DEFAULT_ACCOUNT_ID][REGION].sent_messages)


@pytest.fixture
def demo(aws):
    return seeded_demo(aws, "privacy_export.demo")


def _zip(api, headers, request_id: str) -> zipfile.ZipFile:
    link = api.get(f"/customers/{JAN}/privacy/requests/{request_id}/download", headers=headers)
    assert link.status == 200, link.body
    assert link.json["expires_in"] == 300
    from chalicelib.config import settings

    key = store.get_request(JAN, request_id).zip_key
    assert (
        key in link.json["url"]
        and "Expires=" in link.json["url"]
        or "X-Amz-Expires=300" in link.json["url"]
    )
    bucket = settings().reports_bucket
    body = boto3.client("s3", region_name=REGION).get_object(Bucket=bucket, Key=key)["Body"]
    return zipfile.ZipFile(io.BytesIO(body.read()))


def _others() -> list[str]:
    """Identifying values of every other demo customer."""
    values = []
    for no in ("100002", "100003", "200001", "200002"):
        c = customer_store.get_customer(no)
        values += [no, c.name, c.email or ""] + [v for v in (c.pesel, c.nip) if v]
    return [v for v in values if v]


def _jan_pays_online(amount: int) -> None:
    """Jan pays part of the arrears through the local sandbox operator (the demo has no
    payment of his)."""
    from chalicelib.adapters import payment_operator as gateway
    from chalicelib.domain.principal import Principal
    from chalicelib.services import payments

    started = payments.start(
        Principal("10000001", "customer", (JAN,)), JAN, {"amount_grosze": amount}
    )
    note = gateway.SandboxOperator().notification(
        payment_id=started["payment_id"],
        operator_ref=f"SBX-{started['payment_id']}",
        amount_grosze=started["amount_grosze"],
        currency="PLN",
        status="completed",
        at="2026-11-18T09:00:00Z",
    )
    payments.handle_notification(note, gateway.sign(note))


def test_the_export_holds_everything_and_nothing_of_others(api, demo, login_as) -> None:
    _jan_pays_online(5_000)
    headers = login_as("customer", customers=[JAN])
    asked = api.post(f"/customers/{JAN}/privacy/requests", {"kind": "export"}, headers=headers)
    assert asked.status == 202, asked.body
    request_id = asked.json["request_id"]
    # a double click answers the same request and queues nothing more
    again = api.post(f"/customers/{JAN}/privacy/requests", {"kind": "export"}, headers=headers)
    assert again.status == 202 and again.json["request_id"] == request_id
    not_yet = api.get(f"/customers/{JAN}/privacy/requests/{request_id}/download", headers=headers)
    assert not_yet.status == 409

    before = len(_sent())
    assert drain("ebok-local-privacy", "privacy_export")["done"] == 1
    mails = _sent()[before:]
    assert len(mails) == 1
    raw = mails[0].raw_data
    mail = message_from_bytes(raw.encode() if isinstance(raw, str) else raw, policy=default)
    text = mail.get_body(("plain",)).get_content()
    assert "#/mydata" in text and "jan.kowalski@example.pl" in mail["To"]
    assert not any(p.get_filename() for p in mail.walk())  # a link, never the data

    archive = _zip(api, headers, request_id)
    names = archive.namelist()
    data = json.loads(archive.read("dane.json"))
    for kind in (
        "profile",
        "contracts",
        "invoices",
        "payments",
        "readings",
        "consents_history",
        "logins",
        "fault_tickets",
        "applications",
        "messages",
        "notifications_sent",
    ):
        assert data[kind], f"no {kind} in the export"
        assert f"csv/{kind}.csv" in names
    pdfs = [n for n in names if n.startswith("faktury/") and n.endswith(".pdf")]
    assert len(pdfs) == len(data["invoices"]) and archive.read(pdfs[0]).startswith(b"%PDF")
    assert data["profile"][0]["customer_no"] == JAN
    assert {c["kind"] for c in data["consents_history"]} >= {"marketing_email", "marketing_sms"}
    assert data["logins"][0]["username"] == "10000001"

    whole = b"".join(archive.read(n) for n in names if not n.endswith(".pdf")).decode()
    for value in _others():
        assert value not in whole, f"another customer's {value!r} in the export"

    # replayed message: built once, mailed once
    from chalicelib.adapters import sqs
    from chalicelib.config import settings

    sqs.send_batch(settings().privacy_queue, [{"customer_no": JAN, "request_id": request_id}])
    drain("ebok-local-privacy", "privacy_export")
    assert len(_sent()) == before + 1


def test_bad_input_and_another_customer(api, world, login_as) -> None:
    headers = login_as("customer", customers=[JAN])
    for body in ({"kind": "everything"}, {}, {"kind": "export", "extra": 1}):
        assert api.post(f"/customers/{JAN}/privacy/requests", body, headers=headers).status == 400
    assert store.requests_of(JAN) == []
    assert api.get("/customers/100002/privacy", headers=headers).status == 404
    assert (
        api.post("/customers/100002/privacy/requests", {"kind": "export"}, headers=headers).status
        == 404
    )
    assert store.requests_of("100002") == []
    link = api.get(f"/customers/{JAN}/privacy/requests/nope/download", headers=headers)
    assert link.status == 404


def test_an_erasure_case_keeps_invoices_five_years_and_anonymises_the_rest(
    api, demo, login_as
) -> None:  # the demo: Jan has invoices
    headers = login_as("customer", customers=[JAN])
    asked = api.post(
        f"/customers/{JAN}/privacy/requests",
        {"kind": "erasure", "note": "Proszę usunąć moje dane."},
        headers=headers,
    )
    assert asked.status == 202
    request_id = asked.json["request_id"]
    admin = login_as("admin")
    [listed] = api.get("/admin/privacy/cases", headers=admin).json["items"]
    assert listed["customer_no"] == JAN and listed["kind"] == "erasure"
    case = api.get(f"/admin/privacy/cases/{JAN}/{request_id}", headers=admin).json
    keep = {k["what"]: k for k in case["keep"]}
    assert keep["invoices"]["count"] > 0
    from chalicelib.store import invoices as invoice_store

    latest_year = max(
        int(str(i.issue_date)[:4])
        for i in invoice_store.invoices_and_deliveries(JAN)
        if isinstance(i, invoice_store.Invoice)
    )
    assert keep["invoices"]["until"] == f"{latest_year + rules.RETENTION_YEARS}-12-31"
    assert "email" in case["erase"]

    decided = api.post(
        f"/admin/privacy/cases/{JAN}/{request_id}/decision", {"approve": True}, headers=admin
    )
    assert decided.status == 200, decided.body
    assert decided.json["status"] == "done"
    jan = customer_store.get_customer(JAN)
    assert jan.email is None and jan.phone is None
    assert jan.name == "Jan Kowalski"  # kept with the invoices until the retention date
    view = api.get(f"/customers/{JAN}/consents", headers=headers).json
    assert not any(c["granted"] for c in view["consents"] if c["kind"].startswith("marketing"))
    # a second decision changes nothing
    again = api.post(
        f"/admin/privacy/cases/{JAN}/{request_id}/decision", {"approve": False}, headers=admin
    )
    assert again.status == 409
    assert api.get("/admin/privacy/cases", headers=admin).json["items"] == []


def test_staff_reads_are_logged_once_an_hour_and_shown(api, world, login_as) -> None:
    manager = login_as("account_manager", manager_id="M1")
    for _ in range(3):
        assert api.get(f"/customers/{JAN}/consents", headers=manager).status == 200
    headers = login_as("customer", customers=[JAN])
    api.get(f"/customers/{JAN}/consents", headers=headers)  # the customer's own read: no entry
    reads = api.get(f"/customers/{JAN}/privacy", headers=headers).json["staff_reads"]
    roles = [r["role"] for r in reads]
    assert roles.count("account_manager") >= 1
    hours = [(r["username"], r["at"][:13]) for r in reads]
    assert len(hours) == len(set(hours))  # once per login and hour
    assert all(r["role"] != "customer" for r in reads)
