"""Demo balances and payments: arrears, an overpayment, a bank statement and online payments.

* opening balances (bilans otwarcia, ``BO-2026/<customer>``) carried over from the previous
  system: Jan Kowalski (100001) in arrears, SM Przyszłość (200001) partly paid, the
  kindergarten (200002) paid by a transfer naming the document in its title;
* ``data/samples/camt053-demo.xml`` put into the statements bucket and imported: matched by
  virtual account, by document number, and two unmatched credits for the admin's suspense
  list (``python -m devstack drain statements`` imports it again: all duplicates);
* online payments through the sandbox operator's signed notification: one for Tomasz
  Lewandowski (100003), and one that leaves Maria Wiśniewska (100002) overpaid.

Runs after the customers (and after invoicing when that step exists: balances add up).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from chalicelib.adapters import payment_operator as gateway
from chalicelib.adapters import s3
from chalicelib.config import settings
from chalicelib.domain import ledger as rules
from chalicelib.domain.principal import Principal
from chalicelib.services import ledger, payments, statements
from chalicelib.store import ledger as store
from devstack.seed import SeedContext

SAMPLE = Path(__file__).resolve().parent.parent / "data" / "samples" / "camt053-demo.xml"

# customer, gross (grosze), days from today to the due date
OPENING: list[tuple[str, int, int]] = [
    ("100001", 18_450, -30),
    ("100003", 9_620, 12),
    ("200001", 1_245_000, -10),
    ("200002", 150_000, -5),
]


def _pay_online(customer_no: str, amount: int, invoice_nos: list[str] | None = None) -> str:
    """Start a payment as the customer and let the sandbox operator confirm it."""
    principal = Principal(username="seed", role="customer", customer_nos=(customer_no,))
    body: dict[str, object] = (
        {"invoice_nos": invoice_nos} if invoice_nos else {"amount_grosze": amount}
    )
    started = payments.start(principal, customer_no, body)
    note = gateway.SandboxOperator().notification(  # the demo pays through the local sandbox
        payment_id=started["payment_id"],
        operator_ref=f"SBX-{started['payment_id']}",
        amount_grosze=started["amount_grosze"],
        currency="PLN",
        status="completed",
        at="2026-11-20T10:00:00Z",
    )
    payments.handle_notification(note, gateway.sign(note))
    return str(started["payment_id"])


def seed(ctx: SeedContext) -> None:
    today = ctx.today
    for customer_no, gross, due_in in OPENING:
        due = today + timedelta(days=due_in)
        ledger.record_invoice(
            customer_no=customer_no,
            invoice_no=f"BO-2026/{customer_no}",
            gross_grosze=gross,
            issue_date=(due - timedelta(days=14)).isoformat(),
            due_date=due.isoformat(),
        )

    data = SAMPLE.read_bytes()
    key = "bank/camt053-demo.xml"
    s3.put_object(settings().statements_bucket, key, data, "application/xml")
    result = statements.import_file(data, key)

    _pay_online("100003", 5_000)
    maria = store.get_balance("100002")
    owed = rules.settle(maria.state()).state.balance if maria else 0
    if owed > -5_000:  # invoices seeded before us may have used the transfer up
        _pay_online("100002", max(owed, 0) + 12_345)

    ctx.notes.append(
        f"payments: statement {result['statement_id']} booked {result['booked']}, "
        f"suspense {result['suspense']} (admin 50000001: #/admin/suspense); 100001 in arrears, "
        "100002 overpaid; sandbox operator at /sandbox/pay/<id>"
    )
