"""Customer overview and profile."""

from __future__ import annotations

from chalicelib.schemas.common import (
    ADDRESS,
    BOOL,
    DATE,
    NDATE,
    NSTR,
    STR,
    Schema,
    array,
    obj,
)
from chalicelib.schemas.payments import OVERVIEW_BALANCE

MANAGER: Schema = obj({"name": STR, "phone": STR, "email": STR}, ["name", "phone", "email"])

CUSTOMER: Schema = obj(
    {
        "customer_no": STR,
        "kind": {"enum": ["individual", "institution"]},
        "name": STR,
        "nip": NSTR,
        "regon": NSTR,
        "krs": NSTR,
        "address": ADDRESS,
        "email": STR,
        "phone": NSTR,
        "building_manager": BOOL,
        "einvoice_consent": BOOL,
        "einvoice_consent_at": NSTR,
    },
    ["customer_no", "kind", "name", "address", "email", "einvoice_consent"],
)

PREMISES: Schema = obj(
    {"premises_id": STR, "label": STR, "address": ADDRESS}, ["premises_id", "label", "address"]
)

CONTRACT: Schema = obj(
    {
        "contract_no": STR,
        "premises_id": STR,
        "product": {"enum": ["heat", "electricity"]},
        "tariff_group": STR,
        "ordered_capacity_mw": NSTR,
        "start_date": DATE,
        "end_date": NDATE,
        "expires_in_days": {"type": ["integer", "null"]},
    },
    ["contract_no", "premises_id", "product", "tariff_group", "start_date"],
)

METER: Schema = obj(
    {
        "serial": STR,
        "contract_no": STR,
        "premises_id": STR,
        "product": STR,
        "registers": array(STR),
    },
    ["serial", "contract_no", "premises_id", "product", "registers"],
)

OVERVIEW: Schema = obj(
    {
        "customer": CUSTOMER,
        "account_manager": {"anyOf": [MANAGER, {"type": "null"}]},
        "premises": array(PREMISES),
        "contracts": array(CONTRACT),
        "meters": array(METER),
        "balance": OVERVIEW_BALANCE,
        "latest_invoices": array(
            obj(
                {
                    "invoice_id": STR,
                    "number": STR,
                    "kind": STR,
                    "contract_no": STR,
                    "product": STR,
                    "period": STR,
                    "issue_date": DATE,
                    "due_date": DATE,
                    "gross_grosze": {"type": "integer"},
                },
                ["invoice_id", "number", "contract_no", "period", "issue_date", "gross_grosze"],
            )
        ),
    },
    ["customer", "account_manager", "premises", "contracts", "meters"],
    extra=True,
)

ME: Schema = obj(
    {"username": STR, "role": STR, "customers": array(STR)},
    ["username", "role", "customers"],
)
