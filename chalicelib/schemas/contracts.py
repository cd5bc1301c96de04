"""Contracts: the contract page, the list, the renew action."""

from __future__ import annotations

from chalicelib.schemas.common import DATE, INT, NSTR, STR, Schema, array, obj

TERMS: Schema = obj(
    {
        "contract_no": STR,
        "premises_id": STR,
        "product": {"enum": ["heat", "electricity"]},
        "tariff_group": STR,
        "ordered_capacity_mw": NSTR,
        "start_date": STR,
        "end_date": NSTR,
        "expires_in_days": {"type": ["integer", "null"]},
        "notice_period_months": INT,
        "earliest_termination": STR,
        "ppe": NSTR,
        "upcoming_changes": array({"type": "object"}),
    },
    ["contract_no", "product", "tariff_group", "start_date", "notice_period_months"],
    extra=True,
)

CONTRACTS: Schema = obj({"contracts": array(TERMS)}, ["contracts"])

PAGE: Schema = {
    **TERMS,
    "required": [*TERMS["required"], "parties", "price_list", "documents", "history"],
}

CONTRACT_NO: Schema = {"type": "string", "minLength": 3, "maxLength": 40}

CONTRACT_QUERY: Schema = obj({"contract": CONTRACT_NO})

RENEW_IN: Schema = obj({"contract_no": CONTRACT_NO, "new_end_date": DATE}, ["contract_no"])
