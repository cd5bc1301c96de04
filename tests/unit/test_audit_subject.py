"""The audit log names what it audited for people, not by its database key."""

from __future__ import annotations

import pytest

from chalicelib.store import applications, approvals, customers, ledger, registrations
from chalicelib.store.audit import target_subject


@pytest.mark.parametrize(
    ("target", "subject"),
    [
        (customers.customer_target("100003"), {"kind": "customer", "ref": "100003"}),
        (customers.login_target("10000001"), {"kind": "login", "ref": "10000001"}),
        (applications.application_target("A1"), {"kind": "application", "ref": "A1"}),
        (
            approvals.invoice_target("100001", "FC-2026-11-000005"),
            {"kind": "invoice", "ref": "FC-2026-11-000005", "customer_no": "100001"},
        ),
        (ledger.bank_entry_target("REF-1"), {"kind": "bank_entry", "ref": "REF-1"}),
        (registrations.registration_target("R1"), {"kind": "registration", "ref": "R1"}),
        ("SOMETHING#else", {"kind": "other", "ref": "SOMETHING#else"}),
    ],
)
def test_every_audit_target_has_a_subject(target: str, subject: dict[str, str]) -> None:
    assert target_subject(target) == subject
