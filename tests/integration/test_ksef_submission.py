"""Sending invoices to KSeF (API 2.0) through the stand-in: accepted → KSeF number and UPO
stored, the e-mail goes once with the number on the PDF; rejected → parked for an
administrator with KSeF's reason, nothing delivered; replayed messages change nothing."""

from __future__ import annotations

from typing import Any

from chalicelib.domain.ksef import valid_ksef_number
from tests.integration.invoicing_helpers import attachments, pdf_text, s3_get, sent_emails
from tests.integration.ksef_helpers import issue_institution_october, run_all, use_standin


def _submission(inv: Any) -> Any:
    from chalicelib.store import ksef as ksef_store

    return ksef_store.get(inv.customer_no, inv.invoice_id)


def test_accepted_invoice_gets_its_number_upo_and_one_email(world, monkeypatch) -> None:
    from chalicelib.config import settings
    from chalicelib.services import ksef
    from chalicelib.store import invoices as store

    standin = use_standin(monkeypatch)
    inv = issue_institution_october(world)
    assert sent_emails() == []  # not before KSeF has accepted it
    run_all()
    sub = _submission(inv)
    assert sub.status == "accepted" and valid_ksef_number(sub.ksef_number)
    upo = s3_get(settings().invoices_bucket, sub.upo_key)
    assert sub.ksef_number.encode() in upo and b"Potwierdzenie" in upo
    mails = sent_emails()
    assert len(mails) == 1
    pdf = next(iter(attachments(mails[0]).values()))
    assert sub.ksef_number in pdf_text(pdf)
    _, dlv = store.invoice_with_delivery(inv.customer_no, inv.invoice_id)
    assert dlv.status == "sent"
    # Replays: a status poll and a submit again change nothing, ask KSeF nothing.
    calls = len(standin.calls)
    for kind in ("poll", "submit"):
        body = {"kind": kind, "customer_no": inv.customer_no, "invoice_id": inv.invoice_id}
        assert ksef.handle(body) == "accepted"
    run_all()
    assert len(standin.calls) == calls and len(sent_emails()) == 1
    assert _submission(inv).ksef_number == sub.ksef_number


def test_processing_status_is_polled_again(world, monkeypatch) -> None:
    standin = use_standin(monkeypatch)
    standin.pending_polls = 2
    inv = issue_institution_october(world)
    run_all(settle=6)
    assert _submission(inv).status == "accepted" and len(sent_emails()) == 1


def test_rejected_invoice_is_parked_with_the_reason_and_not_delivered(
    world, monkeypatch, api, login_as
) -> None:
    from chalicelib.services import ksef
    from chalicelib.store import invoices as store

    use_standin(monkeypatch)
    real = ksef.stored_xml
    # What KSeF's schema refuses: the seller's NIP is not a NIP.
    monkeypatch.setattr(
        ksef,
        "stored_xml",
        lambda inv: real(inv).replace(b"<NIP>8943005127</NIP>", b"<NIP>12</NIP>"),
    )
    inv = issue_institution_october(world)
    run_all()
    sub = _submission(inv)
    assert sub.status == "rejected" and sub.reason["code"] == 430
    assert any("NIP" in d for d in sub.reason["details"]), sub.reason
    assert sent_emails() == []
    _, dlv = store.invoice_with_delivery(inv.customer_no, inv.invoice_id)
    assert dlv.status == "awaiting_ksef"
    # A replayed poll changes nothing.
    body = {"kind": "poll", "customer_no": inv.customer_no, "invoice_id": inv.invoice_id}
    assert ksef.handle(body) == "rejected"
    assert _submission(inv).updated_at == sub.updated_at
    # The administrator's list, with KSeF's words.
    admin = login_as("admin")
    r = api.get("/admin/ksef/rejected", headers=admin)
    assert r.status == 200, r.body
    [row] = r.json["rejected"]
    assert row["invoice_id"] == inv.invoice_id and row["reason"]["code"] == 430
    assert api.get("/admin/ksef/rejected", headers=login_as("operator")).status == 403
    # Fixed (the real XML again) and resubmitted: accepted, then e-mailed once.
    monkeypatch.setattr(ksef, "stored_xml", real)
    url = f"/admin/ksef/rejected/{inv.customer_no}/{inv.invoice_id}/resubmit"
    r = api.post(url, {}, headers=admin)
    assert r.status == 200 and r.json["status"] == "queued", r.body
    assert api.post(url, {}, headers=admin).status == 409  # replay
    missing = f"/admin/ksef/rejected/{inv.customer_no}/FC-2026-11-999999/resubmit"
    assert api.post(missing, {}, headers=admin).status == 404
    run_all()
    assert _submission(inv).status == "accepted"
    assert len(sent_emails()) == 1
    assert api.get("/admin/ksef/rejected", headers=admin).json["rejected"] == []


def test_ksef_unreachable_is_retried_not_parked(world, monkeypatch) -> None:
    from chalicelib.adapters import ksef as adapter

    standin = use_standin(monkeypatch)

    def down(*args: Any) -> Any:
        raise adapter.KsefUnavailable("down")

    monkeypatch.setattr(adapter, "transport", down)
    inv = issue_institution_october(world)
    run_all(settle=1)
    assert _submission(inv).status == "queued" and sent_emails() == []
    monkeypatch.setattr(adapter, "transport", standin.handle)
    run_all()
    assert _submission(inv).status == "accepted" and len(sent_emails()) == 1


def test_consumer_invoices_do_not_wait_for_ksef(world, monkeypatch) -> None:
    from chalicelib.services import invoicing

    use_standin(monkeypatch)
    issue_institution_october(world)
    out = invoicing.issue(world.individual, world.contracts["individual_heat"], "2026-10")
    assert out.status == "issued" and out.delivery == "sent"
