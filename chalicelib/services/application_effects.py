"""What an approved application does, through the product's own rules. Each effect is
idempotent: its items are written with an ``EFFECT#<name>`` marker of the application in one
transaction (or the ledger booking's), so a replayed approval changes nothing.

- capacity_change: a contract annex from the date (``store.contracts.capacity_on`` and
  ``capacity_changes`` give pricing the capacity in force) and the annex as a PDF document;
- contract_renewal / termination: the contract's end date moves, history and a document;
- customer_data_change: the customer record (services.admin.update_customer: validated,
  conditional, audited);
- tariff_group_change: an annex with the tariff group from the date;
- refund: a ledger refund (``services.ledger.book``) and a payout order, one transaction;
- instalment_plan: the overdue invoices become dated instalments in the ledger (so the
  arrears reminders follow the instalments) and in the plan (``instalments_due``);
- direct_debit: the mandate (``store.applications.mandate_of`` for the invoice);
- proxy: a login that sees the one premises only (``store.applications.grants_of``);
- new_connection, meter_check: a letter in the customer's documents.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal
from typing import Any

from chalicelib.adapters import cognito, ses
from chalicelib.config import settings
from chalicelib.domain import applications as rules
from chalicelib.domain import clock
from chalicelib.domain import credentials as cred_rules
from chalicelib.domain import ledger as ledger_rules
from chalicelib.domain.money import format_pln
from chalicelib.domain.principal import GROUP_OF_ROLE, Principal
from chalicelib.observability import logger
from chalicelib.render import auth_mail
from chalicelib.services import admin, audit, documents, ledger
from chalicelib.store import applications as store
from chalicelib.store import contracts as contract_store
from chalicelib.store import customers as customer_store
from chalicelib.store.applications import Application

Effect = Callable[[Principal, Application, dict[str, Any]], dict[str, Any]]


def _today() -> date:
    return clock.to_warsaw(clock.now()).date()


def _contract(app: Application, fields: dict[str, Any]) -> Any:
    contract = contract_store.contract_of(app.customer_no, fields["contract_no"])
    if contract is None:
        raise LookupError("contract gone")
    return contract


def _annex_document(
    app: Application, contract_no: str, rows: list[tuple[str, str]], what: tuple[str, str]
) -> str:
    doc = documents.issue(
        documents.NewDocument(
            customer_no=app.customer_no,
            document_id=f"annex-{app.application_id}",
            kind="annex",
            title=(f"Aneks do umowy nr {contract_no}", f"Annex to contract no. {contract_no}"),
            lines_pl=[
                f"Strony zgodnie postanawiają: {what[0]}",
                f"Podstawa: wniosek nr {app.application_id}.",
            ],
            lines_en=[
                f"The parties agree: {what[1]}",
                f"Based on application no. {app.application_id}.",
            ],
            rows=rows,
            contract_no=contract_no,
            ref=app.application_id,
        )
    )
    return doc.document_id


def _annex(
    principal: Principal,
    app: Application,
    contract_no: str,
    effective: str,
    what: tuple[str, str],
    **terms: Any,
) -> None:
    at = clock.now_iso()
    annex = contract_store.new_annex(
        app.customer_no,
        contract_no,
        effective,
        app.application_id,
        created_at=at,
        document_id=f"annex-{app.application_id}",
        **terms,
    )
    change = contract_store.new_change(
        contract_no,
        app.application_id,
        at,
        "annex",
        (f"Aneks od {effective}: {what[0]}", f"Annex from {effective}: {what[1]}"),
        principal.username,
        app.application_id,
    )
    contract_store.add_annex(annex, change)


def capacity_change(principal: Principal, app: Application, f: dict[str, Any]) -> dict[str, Any]:
    contract = _contract(app, f)
    mw = Decimal(f["capacity_mw"])
    what = (f"moc zamówiona {mw} MW", f"ordered heat capacity {mw} MW")
    doc = _annex_document(
        app,
        contract.contract_no,
        [
            ("Umowa / Contract", contract.contract_no),
            ("Moc zamówiona / Capacity", f"{mw} MW"),
            ("Obowiązuje od / Effective from", f["effective_from"]),
        ],
        what,
    )
    _annex(principal, app, contract.contract_no, f["effective_from"], what, capacity_mw=mw)
    return {
        "annex": doc,
        "contract_no": contract.contract_no,
        "effective_from": f["effective_from"],
        "capacity_mw": str(mw),
    }


def tariff_group_change(
    principal: Principal, app: Application, f: dict[str, Any]
) -> dict[str, Any]:
    contract = _contract(app, f)
    what = (f"grupa taryfowa {f['tariff_group']}", f"tariff group {f['tariff_group']}")
    doc = _annex_document(
        app,
        contract.contract_no,
        [
            ("Umowa / Contract", contract.contract_no),
            ("Grupa taryfowa / Tariff group", f["tariff_group"]),
            ("Obowiązuje od / Effective from", f["effective_from"]),
        ],
        what,
    )
    _annex(
        principal,
        app,
        contract.contract_no,
        f["effective_from"],
        what,
        tariff_group=f["tariff_group"],
    )
    return {"annex": doc, "contract_no": contract.contract_no, "tariff_group": f["tariff_group"]}


def _move_end(
    principal: Principal,
    app: Application,
    contract_no: str,
    end: str,
    kind: str,
    what: tuple[str, str],
) -> None:
    contract = contract_store.contract_of(app.customer_no, contract_no)
    if contract is None:
        raise LookupError("contract gone")
    at = clock.now_iso()
    change = contract_store.new_change(
        contract_no, app.application_id, at, kind, what, principal.username, app.application_id
    )
    marker = store.effect_marker(app.application_id, kind, at, end)
    contract_store.set_end_date(contract, end, change, marker)


def contract_renewal(principal: Principal, app: Application, f: dict[str, Any]) -> dict[str, Any]:
    end = f["new_end_date"]
    what = (f"przedłużenie umowy do {end}", f"renewal until {end}")
    doc = _annex_document(
        app,
        f["contract_no"],
        [("Umowa / Contract", f["contract_no"]), ("Obowiązuje do / Valid until", end)],
        what,
    )
    _move_end(
        principal,
        app,
        f["contract_no"],
        end,
        "renewal",
        (f"Umowa przedłużona do {end}", f"Contract renewed until {end}"),
    )
    return {"annex": doc, "contract_no": f["contract_no"], "end_date": end}


def termination(principal: Principal, app: Application, f: dict[str, Any]) -> dict[str, Any]:
    end = f["termination_date"]
    doc = documents.issue(
        documents.NewDocument(
            customer_no=app.customer_no,
            document_id=f"letter-{app.application_id}",
            kind="letter",
            title=(
                f"Potwierdzenie wypowiedzenia umowy nr {f['contract_no']}",
                f"Confirmation of the termination of contract no. {f['contract_no']}",
            ),
            lines_pl=[f"Umowa rozwiązuje się z dniem {end}."],
            lines_en=[f"The contract ends on {end}."],
            contract_no=f["contract_no"],
            ref=app.application_id,
        )
    )
    _move_end(
        principal,
        app,
        f["contract_no"],
        end,
        "termination",
        (f"Wypowiedzenie: umowa do {end}", f"Terminated: contract ends {end}"),
    )
    return {"letter": doc.document_id, "contract_no": f["contract_no"], "end_date": end}


def customer_data_change(
    principal: Principal, app: Application, f: dict[str, Any]
) -> dict[str, Any]:
    if store.effect_done(app.application_id, "data") is None:
        answer = admin.update_customer(principal, app.customer_no, dict(f))
        store.put_marker(
            store.effect_marker(
                app.application_id, "data", clock.now_iso(), ",".join(answer["changed"])
            )
        )
    return {"changed": sorted(f)}


def refund(principal: Principal, app: Application, f: dict[str, Any]) -> dict[str, Any]:
    amount = int(f["amount_grosze"])
    iban = rules.clean_iban(f["iban"]) or f["iban"]
    now = clock.now_iso()
    order = store.new_payout(
        app.application_id,
        app.customer_no,
        now,
        amount=amount,
        iban=iban,
        account_holder=f["account_holder"],
    )
    marker = store.effect_marker(app.application_id, "refund", now)

    def change(state: ledger_rules.AccountState) -> ledger_rules.Outcome:
        return ledger_rules.Outcome(ledger_rules.refund(state, amount))

    booking = ledger.book(
        app.customer_no,
        kind="refund",
        ref=app.application_id,
        amount=amount,
        change=change,
        value_date=_today().isoformat(),
        title=f"Zwrot nadpłaty na rachunek {rules.format_iban(iban)}",
        source="application",
        guard=store.payout_guard(order, marker),
        already_done=lambda: store.effect_done(app.application_id, "refund") is not None,
    )
    return {
        "payout": app.application_id,
        "amount_grosze": amount,
        "booked": booking.booked,
        "amount": format_pln(amount),
    }


def instalment_plan(principal: Principal, app: Application, f: dict[str, Any]) -> dict[str, Any]:
    count, first_due, today = int(f["instalments"]), date.fromisoformat(f["first_due"]), _today()
    made: dict[str, Any] = {}
    now = clock.now_iso()
    marker = store.effect_marker(app.application_id, "instalments", now)

    def change(state: ledger_rules.AccountState) -> ledger_rules.Outcome:
        settled = ledger_rules.settle(state).state
        plan, items, replaced = rules.reschedule(
            settled.open, today, count, first_due, app.application_id
        )
        made["plan"], made["replaced"] = plan, replaced
        return ledger_rules.Outcome(ledger_rules.AccountState(items, settled.unapplied))

    guard = store.plan_guard(
        marker,
        lambda: store.plan_items(
            app.customer_no, app.application_id, made["plan"], made["replaced"], now
        ),
    )
    booking = ledger.book(
        app.customer_no,
        kind="instalments",
        ref=app.application_id,
        amount=0,
        change=change,
        value_date=today.isoformat(),
        title=f"Układ ratalny: {count} rat",
        source="application",
        guard=guard,
        already_done=lambda: store.effect_done(app.application_id, "instalments") is not None,
    )
    plan = made.get("plan") or []
    return {
        "booked": booking.booked,
        "instalments": [
            {"n": p.n, "due_date": p.due_date.isoformat(), "amount_grosze": p.amount} for p in plan
        ]
        or [
            {"n": int(i.n), "due_date": i.due_date, "amount_grosze": int(i.amount)}
            for i in store.instalments(app.customer_no)
            if i.application_id == app.application_id
        ],
    }


def direct_debit(principal: Principal, app: Application, f: dict[str, Any]) -> dict[str, Any]:
    iban = rules.clean_iban(f["iban"]) or f["iban"]
    now = clock.now_iso()
    mandate = store.new_mandate(
        app.customer_no,
        iban=iban,
        account_holder=f["account_holder"],
        application_id=app.application_id,
        granted_at=now,
    )
    store.save_with_marker(store.effect_marker(app.application_id, "mandate", now), mandate)
    return {"mandate": rules.format_iban(iban)}


def proxy(principal: Principal, app: Application, f: dict[str, Any]) -> dict[str, Any]:
    """A login for the proxy that sees this premises only: no customer number on the login
    (every customer route answers 404), one grant read by the proxy routes."""
    done = store.effect_done(app.application_id, "proxy")
    if done is not None:
        return {"username": done.detail, "premises_id": f["premises_id"]}
    now = clock.now_iso()
    username = cred_rules.new_username()
    login = customer_store.new_login(username, "customer", [], now)
    grant = store.new_grant(
        username,
        app.customer_no,
        f["premises_id"],
        proxy_name=f["proxy_name"],
        application_id=app.application_id,
        granted_at=now,
    )
    if not store.save_with_marker(
        store.effect_marker(app.application_id, "proxy", now, username), login, grant
    ):
        found = store.effect_done(app.application_id, "proxy")
        return {"username": found.detail if found else None, "premises_id": f["premises_id"]}
    pin = cred_rules.new_pin()
    cognito.create_user(username, f["proxy_email"], pin, GROUP_OF_ROLE["customer"])
    subject, text = auth_mail.access_codes(
        "pl", username, pin, f["proxy_name"], settings().portal_url
    )
    ses.send_email([f["proxy_email"]], subject, text)
    audit.record(
        principal.username,
        "proxy.grant",
        customer_store.customer_target(app.customer_no),
        None,
        {"username": username, "premises_id": f["premises_id"]},
    )
    logger.info("proxy login issued", extra={"application": app.application_id})
    return {"username": username, "premises_id": f["premises_id"]}


def _letter(
    app: Application, title: tuple[str, str], pl: list[str], en: list[str]
) -> dict[str, Any]:
    doc = documents.issue(
        documents.NewDocument(
            customer_no=app.customer_no,
            document_id=f"letter-{app.application_id}",
            kind="letter",
            title=title,
            lines_pl=pl,
            lines_en=en,
            ref=app.application_id,
        )
    )
    return {"letter": doc.document_id}


def new_connection(principal: Principal, app: Application, f: dict[str, Any]) -> dict[str, Any]:
    a = f["address"]
    where = f"{a['street']} {a['building']}, {a['postal_code']} {a['city']}"
    return _letter(
        app,
        ("Warunki przyłączenia do sieci", "Conditions of connection to the network"),
        [
            f"Wniosek o przyłączenie ({f['product']}, {f['capacity_kw']} kW) pod adresem {where} został zaakceptowany.",
            f"Termin przyłączenia: od {f['requested_date']}. Projekt umowy przyłączeniowej prześle opiekun klienta.",
        ],
        [
            f"The connection application ({f['product']}, {f['capacity_kw']} kW) at {where} was approved.",
            f"Connection from {f['requested_date']}. Your account manager will send the draft connection agreement.",
        ],
    )


def meter_check(principal: Principal, app: Application, f: dict[str, Any]) -> dict[str, Any]:
    return _letter(
        app,
        (f"Sprawdzenie licznika {f['meter_serial']}", f"Check of meter {f['meter_serial']}"),
        [
            f"Zlecono sprawdzenie licznika nr {f['meter_serial']}. Technik uzgodni termin telefonicznie."
        ],
        [
            f"A check of meter no. {f['meter_serial']} was ordered. A technician will call to agree the date."
        ],
    )


EFFECTS: dict[str, Effect] = {
    "capacity_change": capacity_change,
    "contract_renewal": contract_renewal,
    "termination": termination,
    "customer_data_change": customer_data_change,
    "tariff_group_change": tariff_group_change,
    "new_connection": new_connection,
    "refund": refund,
    "instalment_plan": instalment_plan,
    "direct_debit": direct_debit,
    "meter_check": meter_check,
    "proxy": proxy,
}


def apply(principal: Principal, app: Application, fields: dict[str, Any]) -> dict[str, Any]:
    """The effect, then the "new document" notice of each document it made (annex, letter:
    ``services.preferences``, once per document)."""
    from chalicelib.services import preferences

    result = EFFECTS[app.kind](principal, app, fields)
    logger.info("application effect", extra={"application": app.application_id, "type": app.kind})
    made = [str(result[k]) for k in ("annex", "letter") if result.get(k)]
    preferences.queue_document_notice(app.customer_no, made)
    return result
