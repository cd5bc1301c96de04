"""Every list route pages (issue 10 item 4): meter readings, the ledger history, online
payments and the admin suspense list answer ``limit`` items and an opaque ``next`` cursor;
every item comes once across the pages in order; a bad or foreign cursor is a 400
problem+json; another customer's list is a 404. The ledger's time-ordered key reaches
entries written before it through the backfill."""

from __future__ import annotations

import base64
import json
from datetime import date, timedelta
from typing import Any

from tests.integration.invoicing_helpers import put_reading


def _walk(api: Any, headers: dict[str, str], url: str, key: str, limit: int) -> list[dict]:
    """Every item of a paged list, following ``next``; asserts each page's bound."""
    seen: list[dict] = []
    sep = "&" if "?" in url else "?"
    page_url = f"{url}{sep}limit={limit}"
    for _ in range(100):
        r = api.get(page_url, headers=headers)
        assert r.status == 200, r.body
        assert len(r.json[key]) <= limit
        seen += r.json[key]
        if not r.json["next"]:
            return seen
        page_url = f"{url}{sep}limit={limit}&cursor={r.json['next']}"
    raise AssertionError("the cursor never ended")


def _token(key: dict[str, str]) -> str:
    raw = json.dumps({k: {"S": v} for k, v in key.items()}).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _assert_bad_cursors(api: Any, headers: dict[str, str], url: str, forged: str) -> None:
    for bad in ("not-a-cursor", "abc!", "x" * 2000, forged):
        r = api.get(f"{url}?cursor={bad}", headers=headers)
        assert r.status == 400, (bad, r.body)
        assert r.headers["Content-Type"].startswith("application/problem+json")
    for limit in ("0", "101", "x"):
        assert api.get(f"{url}?limit={limit}", headers=headers).status == 400


def test_meter_readings_page_newest_first_with_the_current_reading(api, world, login_as) -> None:
    w = world
    serial = w.meters["individual_heat"]
    first = date(2024, 1, 31)
    days = [(first + timedelta(days=30 * i)).isoformat() for i in range(23)]
    for n, day in enumerate(days):
        put_reading(
            serial,
            w.individual,
            w.contracts["individual_heat"],
            day,
            heat_gj=f"{100 + n}.000",
            water_m3=f"{10 + n}.000",
        )
    headers = login_as("customer", [w.individual])
    url = f"/customers/{w.individual}/meters/{serial}/readings"
    seen = _walk(api, headers, url, "readings", 5)
    assert [r["read_on"] for r in seen] == sorted(days, reverse=True)  # once each, in order
    # The current reading is the newest actual one on every page, not the page's own.
    second = api.get(f"{url}?limit=5", headers=headers).json["next"]
    later = api.get(f"{url}?limit=5&cursor={second}", headers=headers).json
    assert later["current"]["read_on"] == days[-1]
    assert later["readings"][0]["read_on"] == days[-6]
    default = api.get(url, headers=headers).json
    assert len(default["readings"]) == 20 and default["next"]
    other_meter = w.meters["other_power"]
    forged = _token({"PK": f"METER#{other_meter}", "SK": "READ#2026-01-01#R"})
    _assert_bad_cursors(api, headers, url, forged)
    other = login_as("customer", [w.other_individual])
    assert api.get(url, headers=other).status == 404


def test_current_reading_found_behind_a_page_of_estimates(api, world, login_as) -> None:
    """The page holds only estimates; the current reading is the older actual one."""
    w = world
    serial = w.meters["individual_heat"]
    contract = w.contracts["individual_heat"]
    put_reading(serial, w.individual, contract, "2025-01-31", heat_gj="50.000", water_m3="5.000")
    for m in range(2, 9):
        put_reading(
            serial,
            w.individual,
            contract,
            f"2025-{m:02d}-28",
            kind="estimate",
            heat_gj=f"{50 + m}.000",
            water_m3="5.000",
        )
    headers = login_as("customer", [w.individual])
    body = api.get(
        f"/customers/{w.individual}/meters/{serial}/readings?limit=3", headers=headers
    ).json
    assert {r["kind"] for r in body["readings"]} == {"estimate"}
    assert body["current"]["read_on"] == "2025-01-31"


def _ledger_world(customer_no: str, invoices: int) -> int:
    """``invoices`` debits and a payment after every third one; returns the balance."""
    from chalicelib.services import ledger

    for i in range(invoices):
        day = date(2024, 1, 5) + timedelta(days=31 * i)
        ledger.record_invoice(
            customer_no=customer_no,
            invoice_no=f"FC/{i + 1:06d}/2024",
            gross_grosze=10_000 + i,
            issue_date=day.isoformat(),
            due_date=(day + timedelta(days=14)).isoformat(),
        )
        if i % 3 == 2:
            ledger.book_credit(
                customer_no,
                25_000,
                kind="transfer",
                ref=f"BANK-{i}",
                value_date=(day + timedelta(days=10)).isoformat(),
            )
    from chalicelib.store import ledger as store

    return store.current_balance(customer_no)


def test_ledger_history_pages_with_the_running_balance(api, world, login_as) -> None:
    from chalicelib.store import ledger as store

    balance = _ledger_world(world.individual, 14)
    headers = login_as("customer", [world.individual])
    url = f"/customers/{world.individual}/ledger"
    seen = _walk(api, headers, url, "entries", 4)
    stored = store.ledger_entries(world.individual)  # the whole ledger, value-date order
    assert len(seen) == len(stored) == 14 + 4
    assert [(e["kind"], e["ref"]) for e in seen] == [(e.kind, e.ref) for e in stored]
    # The balance after each entry: the newest is the balance now, and each older one is
    # the next newer one minus that entry's amount, also across page boundaries.
    assert seen[0]["balance_after_grosze"] == balance
    for newer, older in zip(seen, seen[1:], strict=False):
        assert older["balance_after_grosze"] == (
            newer["balance_after_grosze"] - newer["amount_grosze"]
        )
    assert seen[-1]["balance_after_grosze"] == seen[-1]["amount_grosze"]  # the first entry
    first = api.get(f"{url}?limit=4", headers=headers).json["next"]
    raw = json.loads(base64.urlsafe_b64decode(first + "=" * (-len(first) % 4)))
    forged_customer = _token(
        {**{k: v["S"] for k, v in raw.items()}, "GSI1PK": f"LEDGERAT#{world.other_individual}"}
    )
    _assert_bad_cursors(api, headers, url, forged_customer)
    bad_running = _token({**{k: v["S"] for k, v in raw.items()}, "RUN": "12e3"})
    assert api.get(f"{url}?cursor={bad_running}", headers=headers).status == 400
    other = login_as("customer", [world.other_individual])
    assert api.get(url, headers=other).status == 404


def _legacy_invoice_debit(customer_no: str, invoice_no: str, day: str) -> None:
    """A debit as written before the history key existed: GSI1 on ``LEDGERINV#`` and no
    owner marker (and an old transfer entry without any GSI1)."""
    from chalicelib.store import ledger as store

    entry = store.new_entry(customer_no, "invoice", invoice_no, 5_000, now=day, value_date=day)
    entry.invoice_no = invoice_no
    entry.GSI1PK = store.invoice_gsi(invoice_no)
    entry.GSI1SK = f"CUST#{customer_no}"
    entry.save()
    old = store.new_entry(customer_no, "transfer", "OLD-1", -2_000, now=day, value_date=day)
    old.GSI1PK = old.GSI1SK = None
    old.save()


def test_backfill_gives_old_entries_the_history_key_once(api, world, login_as, capsys) -> None:
    from chalicelib.services import ledger
    from chalicelib.store import ledger as store

    _legacy_invoice_debit(world.individual, "FC/000777/2020", "2020-03-05T00:00:00Z")
    ledger.record_invoice(
        customer_no=world.individual,
        invoice_no="FC/000001/2026",
        gross_grosze=7_000,
        issue_date="2026-10-06",
        due_date="2026-10-20",
    )
    headers = login_as("customer", [world.individual])
    url = f"/customers/{world.individual}/ledger"
    before = [e["ref"] for e in _walk(api, headers, url, "entries", 10)]
    assert before == ["FC/000001/2026"]
    # Bank matching finds both the new invoice (owner marker) and the old one (old GSI1).
    assert store.customer_of_invoice("FC/000001/2026") == world.individual
    assert store.customer_of_invoice("fc/000777/2020") == world.individual
    from devstack.backfill_ledger import main

    assert main(["--page", "7", "--max-pages", "1"]) == 0  # stops early, says where
    stopped = capsys.readouterr().out
    assert "resume with --cursor" in stopped
    cursor = stopped.split("--cursor ")[1].strip()
    assert main(["--page", "7", "--cursor", cursor]) == 0
    moved = sum(
        int(out.split("history key ")[1].split()[0]) for out in (stopped, capsys.readouterr().out)
    )
    assert moved == 2
    after = [e["ref"] for e in _walk(api, headers, url, "entries", 10)]
    assert after == ["FC/000001/2026", "OLD-1", "FC/000777/2020"]
    assert store.customer_of_invoice("FC/000777/2020") == world.individual
    # A rerun changes nothing.
    again, cursor = 0, None
    while True:
        _, n, cursor = store.backfill_history_page(cursor, limit=50)
        again += n
        if cursor is None:
            break
    assert again == 0


def test_payments_and_suspense_lists_page(api, world, login_as) -> None:
    from chalicelib.domain.camt053 import Credit
    from chalicelib.store import ledger as store

    for i in range(9):
        store.create_payment(
            payment_id=f"PAY{i:03d}",
            customer_no=world.individual,
            amount_grosze=1_000 + i,
            currency="PLN",
            invoice_nos=[],
            created_by=None,
            redirect_url=None,
            operator_ref=None,
            now=f"2026-11-{i + 1:02d}T10:00:00Z",
        )
    headers = login_as("customer", [world.individual])
    url = f"/customers/{world.individual}/payments"
    seen = [p["payment_id"] for p in _walk(api, headers, url, "payments", 4)]
    assert seen == [f"PAY{i:03d}" for i in reversed(range(9))]
    forged = _token(
        {
            "PK": "PAYMENT#X",
            "SK": "PAYMENT",
            "GSI1PK": f"PAYMENTS#{world.other_individual}",
            "GSI1SK": "2026-11-01",
        }
    )
    _assert_bad_cursors(api, headers, url, forged)
    other = login_as("customer", [world.other_individual])
    assert api.get(url, headers=other).status == 404

    for i in range(11):
        credit = Credit(
            ref=f"SUSP-{i:03d}",
            amount_grosze=500 + i,
            currency="PLN",
            booking_date=f"2026-10-{i + 1:02d}",
            value_date=f"2026-10-{i + 1:02d}",
            account=None,
            debtor_name="Jan",
            debtor_account=None,
            title="nieznany",
        )
        assert store.park_in_suspense(credit, "ST-1", "2026-11-01T00:00:00Z")
    admin = login_as("admin")
    refs = [e["ref"] for e in _walk(api, admin, "/admin/suspense", "entries", 3)]
    assert refs == [f"SUSP-{i:03d}" for i in range(11)]  # oldest first, all of them
    forged = _token(
        {"PK": "BANKENTRY#X", "SK": "ENTRY", "GSI1PK": "STATEMENTS", "GSI1SK": "2026-10-01"}
    )
    _assert_bad_cursors(api, admin, "/admin/suspense", forged)
    assert api.get("/admin/suspense", headers=headers).status == 403
