"""Online applications (wnioski): the typed catalogue, the workflow and their pure rules.

Each type has a JSON Schema of its fields (draft-07, validated by fastjsonschema at the
service), the attachments it requires, the product it applies to and the days an account
manager has to decide (the due date counts from submission). The workflow:

    draft → submitted → in_review → needs_info ⇄ (customer answers) in_review
                               └──→ approved → done            └──→ rejected

An approval takes effect through the product's own rules (services.application_effects),
each idempotent; ``done`` follows when the effect is in place.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from stdnum import iban as stdnum_iban
from stdnum.exceptions import ValidationError

from chalicelib.domain.contracts import add_months

DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
CONTRACT_NO = {"type": "string", "minLength": 3, "maxLength": 40}
TEXT = {"type": "string", "minLength": 1, "maxLength": 2000}
IBAN = {"type": "string", "minLength": 15, "maxLength": 42}
CAPACITY = {"type": "string", "pattern": r"^\d{1,3}(\.\d{1,3})?$"}
ADDRESS = {
    "type": "object",
    "properties": {
        "street": {"type": "string", "minLength": 1, "maxLength": 120},
        "building": {"type": "string", "minLength": 1, "maxLength": 20},
        "apartment": {"type": ["string", "null"], "maxLength": 20},
        "postal_code": {"type": "string", "pattern": r"^\d{2}-\d{3}$"},
        "city": {"type": "string", "minLength": 1, "maxLength": 80},
    },
    "required": ["street", "building", "postal_code", "city"],
    "additionalProperties": False,
}


def _fields(properties: dict[str, Any], required: list[str], **extra: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
        **extra,
    }


@dataclass(frozen=True)
class ApplicationType:
    code: str
    name_pl: str
    name_en: str
    schema: dict[str, Any]
    due_days: int
    attachments: tuple[str, ...] = ()
    """Kinds of attachment required before the application can be submitted."""
    product: str | None = None
    """heat | electricity when the named contract must be of that product."""
    optional_attachments: tuple[str, ...] = field(default=("other",))

    def public(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name_pl": self.name_pl,
            "name_en": self.name_en,
            "schema": self.schema,
            "due_days": self.due_days,
            "required_attachments": list(self.attachments),
            "product": self.product,
        }


CATALOGUE: dict[str, ApplicationType] = {
    t.code: t
    for t in (
        ApplicationType(
            "capacity_change",
            "Zmiana mocy zamówionej",
            "Change of ordered heat capacity",
            _fields(
                {"contract_no": CONTRACT_NO, "capacity_mw": CAPACITY, "effective_from": DATE},
                ["contract_no", "capacity_mw", "effective_from"],
            ),
            due_days=14,
            attachments=("capacity_calculation",),
            product="heat",
        ),
        ApplicationType(
            "contract_renewal",
            "Przedłużenie umowy",
            "Contract renewal",
            _fields(
                {"contract_no": CONTRACT_NO, "new_end_date": DATE, "note": TEXT},
                ["contract_no", "new_end_date"],
            ),
            due_days=14,
        ),
        ApplicationType(
            "termination",
            "Wypowiedzenie umowy",
            "Termination of a contract",
            _fields(
                {"contract_no": CONTRACT_NO, "termination_date": DATE, "reason": TEXT},
                ["contract_no", "termination_date"],
            ),
            due_days=14,
        ),
        ApplicationType(
            "customer_data_change",
            "Zmiana danych klienta",
            "Change of customer data",
            _fields(
                {
                    "email": {"type": "string", "minLength": 3, "maxLength": 254},
                    "phone": {"type": "string", "minLength": 9, "maxLength": 20},
                    "address": ADDRESS,
                },
                [],
                minProperties=1,
            ),
            due_days=7,
        ),
        ApplicationType(
            "tariff_group_change",
            "Zmiana grupy taryfowej (energia elektryczna)",
            "Change of electricity tariff group",
            _fields(
                {
                    "contract_no": CONTRACT_NO,
                    "tariff_group": {"enum": ["G11", "G12", "G12w", "C11", "C12a"]},
                    "effective_from": DATE,
                },
                ["contract_no", "tariff_group", "effective_from"],
            ),
            due_days=14,
            product="electricity",
        ),
        ApplicationType(
            "new_connection",
            "Przyłączenie do sieci",
            "New connection to the network",
            _fields(
                {
                    "product": {"enum": ["heat", "electricity"]},
                    "address": ADDRESS,
                    "capacity_kw": {"type": "integer", "minimum": 1, "maximum": 100000},
                    "requested_date": DATE,
                },
                ["product", "address", "capacity_kw", "requested_date"],
            ),
            due_days=30,
            attachments=("site_plan",),
        ),
        ApplicationType(
            "refund",
            "Zwrot nadpłaty na rachunek bankowy",
            "Refund of an overpayment to a bank account",
            _fields(
                {
                    "amount_grosze": {"type": "integer", "minimum": 1, "maximum": 10**9},
                    "iban": IBAN,
                    "account_holder": {"type": "string", "minLength": 2, "maxLength": 140},
                },
                ["amount_grosze", "iban", "account_holder"],
            ),
            due_days=14,
        ),
        ApplicationType(
            "instalment_plan",
            "Rozłożenie zaległości na raty",
            "Instalment plan for arrears",
            _fields(
                {
                    "instalments": {"type": "integer", "minimum": 2, "maximum": 12},
                    "first_due": DATE,
                    "reason": TEXT,
                },
                ["instalments", "first_due"],
            ),
            due_days=14,
        ),
        ApplicationType(
            "direct_debit",
            "Polecenie zapłaty",
            "Direct-debit mandate",
            _fields(
                {
                    "iban": IBAN,
                    "account_holder": {"type": "string", "minLength": 2, "maxLength": 140},
                    "consent": {"const": True},
                },
                ["iban", "account_holder", "consent"],
            ),
            due_days=7,
        ),
        ApplicationType(
            "meter_check",
            "Sprawdzenie licznika",
            "Meter check",
            _fields(
                {
                    "meter_serial": {"type": "string", "minLength": 1, "maxLength": 40},
                    "reason": TEXT,
                },
                ["meter_serial", "reason"],
            ),
            due_days=14,
        ),
        ApplicationType(
            "proxy",
            "Pełnomocnik dla obiektu",
            "A proxy (pełnomocnik) for a premises",
            _fields(
                {
                    "premises_id": {"type": "string", "minLength": 1, "maxLength": 40},
                    "proxy_name": {"type": "string", "minLength": 3, "maxLength": 140},
                    "proxy_email": {"type": "string", "minLength": 3, "maxLength": 254},
                    "proxy_pesel": {"type": "string", "pattern": r"^\d{11}$"},
                },
                ["premises_id", "proxy_name", "proxy_email", "proxy_pesel"],
            ),
            due_days=7,
            attachments=("power_of_attorney",),
        ),
    )
}

ATTACHMENT_KINDS = (
    "capacity_calculation",
    "site_plan",
    "power_of_attorney",
    "other",
)

STATUSES = ("draft", "submitted", "in_review", "needs_info", "approved", "rejected", "done")
OPEN = frozenset({"submitted", "in_review", "needs_info", "approved"})
WAITING_FOR_MANAGER = frozenset({"submitted", "in_review", "approved"})

# Manager decisions: action → (statuses it may start from, status it leads to).
DECISIONS: dict[str, tuple[frozenset[str], str]] = {
    "review": (frozenset({"submitted"}), "in_review"),
    "ask": (frozenset({"submitted", "in_review"}), "needs_info"),
    "approve": (frozenset({"submitted", "in_review"}), "approved"),
    "reject": (frozenset({"submitted", "in_review", "needs_info"}), "rejected"),
}


class TransitionRefused(ValueError):
    pass


def decide(status: str, action: str) -> str:
    """The status a decision leads to from ``status``; raises TransitionRefused."""
    allowed, target = DECISIONS[action]
    if status not in allowed:
        raise TransitionRefused(f"{action} from {status}")
    return target


def due_date(submitted: date, kind: ApplicationType) -> date:
    return submitted + timedelta(days=kind.due_days)


def clean_iban(value: str) -> str | None:
    """An IBAN (spaces allowed), validated by python-stdnum; None when invalid."""
    try:
        return str(stdnum_iban.validate(value))
    except ValidationError:
        return None


def format_iban(value: str) -> str:
    return str(stdnum_iban.format(value))


@dataclass(frozen=True)
class Instalment:
    n: int
    due_date: date
    amount: int  # grosze


def split_instalments(total: int, count: int, first_due: date) -> list[Instalment]:
    """Equal monthly instalments (grosze); the first takes the remainder, so they add up."""
    if total <= 0 or count < 1:
        raise ValueError("nothing to split")
    base, rest = divmod(total, count)
    return [
        Instalment(i + 1, add_months(first_due, i), base + (rest if i == 0 else 0))
        for i in range(count)
    ]


def instalments_outstanding(
    plan: list[Instalment], paid_since_plan: int, day: date
) -> tuple[int, list[Instalment]]:
    """(overdue grosze, instalments due by ``day`` not yet covered): payments since the plan
    cover the instalments in date order; only what falls due counts as arrears."""
    left = paid_since_plan
    overdue: list[Instalment] = []
    total = 0
    for inst in sorted(plan, key=lambda i: i.due_date):
        covered = min(left, inst.amount)
        left -= covered
        if inst.due_date < day and covered < inst.amount:
            overdue.append(inst)
            total += inst.amount - covered
    return total, overdue


def reschedule(
    open_items: tuple[Any, ...], overdue_before: date, count: int, first_due: date, ref: str
) -> tuple[list[Instalment], tuple[Any, ...], list[str]]:
    """Układ ratalny: the overdue open invoices (due before ``overdue_before``) are replaced
    by ``count`` dated instalments of their outstanding total; what is not overdue stays.
    Returns (instalments, the new open items, the invoice numbers replaced). Open items are
    ``domain.ledger.OpenInvoice`` values (typed ``Any`` here to keep this module pure of the
    ledger's imports)."""
    from dataclasses import replace

    overdue = [i for i in open_items if date.fromisoformat(i.due_date) < overdue_before]
    total = sum(i.outstanding for i in overdue)
    plan = split_instalments(total, count, first_due)
    keep = tuple(i for i in open_items if i not in overdue)
    template = overdue[0]
    made = tuple(
        replace(
            template,
            invoice_no=f"RATA-{ref[:8]}-{p.n}/{count}",
            issue_date=overdue_before.isoformat(),
            due_date=p.due_date.isoformat(),
            gross=p.amount,
            paid=0,
        )
        for p in plan
    )
    return plan, keep + made, [i.invoice_no for i in overdue]
