"""Documents: the customer's and the public ones; the e-BOK regulations and acceptance."""

from __future__ import annotations

from chalicelib.schemas.common import BOOL, DATE, INT, NSTR, STR, Schema, array, obj

CUSTOMER_DOCUMENT: Schema = obj(
    {
        "document_id": STR,
        "kind": {"enum": ["contract", "annex", "letter", "report"]},
        "title_pl": STR,
        "title_en": STR,
        "contract_no": NSTR,
        "content_type": STR,
        "size": INT,
        "created_at": STR,
        "url": STR,
    },
    ["document_id", "kind", "title_pl", "title_en", "url"],
)

CUSTOMER_DOCUMENTS: Schema = obj({"documents": array(CUSTOMER_DOCUMENT)}, ["documents"])

KIND_QUERY: Schema = obj({"kind": {"enum": ["contract", "annex", "letter", "report"]}})

PUBLIC_DOCUMENT: Schema = obj(
    {
        "document_id": STR,
        "kind": {"enum": ["regulations", "tariff", "price_list", "form"]},
        "version": NSTR,
        "title_pl": STR,
        "title_en": STR,
        "content_type": STR,
        "size": INT,
        "published_at": STR,
        "url": STR,
        "in_force": BOOL,
    },
    ["document_id", "kind", "title_pl", "title_en", "url"],
)

PUBLIC_DOCUMENTS: Schema = obj(
    {
        "free_of_charge": BOOL,
        "statement_pl": STR,
        "statement_en": STR,
        "regulations_in_force": STR,
        "documents": array(PUBLIC_DOCUMENT),
    },
    ["free_of_charge", "statement_pl", "statement_en", "documents"],
)

REGULATIONS: Schema = obj(
    {
        "version": STR,
        "published_at": NSTR,
        "url": NSTR,
        "free_of_charge": BOOL,
        "statement_pl": STR,
        "statement_en": STR,
    },
    ["version", "free_of_charge"],
)

MY_REGULATIONS: Schema = obj(
    {"current": REGULATIONS, "accepted": BOOL, "accepted_at": NSTR},
    ["current", "accepted"],
)

ACCEPT_IN: Schema = obj(
    {"version": {"type": "string", "minLength": 1, "maxLength": 40}}, ["version"]
)

PUBLISH_IN: Schema = obj(
    {
        "version": {"type": "string", "pattern": r"^[0-9A-Za-z.-]{1,20}$"},
        "text_pl": {"type": "string", "minLength": 1, "maxLength": 20000},
        "text_en": {"type": "string", "maxLength": 20000},
        "effective_from": DATE,
    },
    ["version", "text_pl"],
)
