"""Public price list (cennik)."""

from __future__ import annotations

from chalicelib.schemas.common import BOOL, DATE, NDATE, NSTR, STR, Schema, array, obj

BAND: Schema = obj(
    # inclusive false: "below up_to_kwh" (the statute's first household band)
    {"up_to_kwh": NSTR, "price": STR, "label_pl": STR, "label_en": STR, "inclusive": BOOL},
    ["up_to_kwh", "price"],
)

COMPONENT: Schema = obj(
    {
        "code": STR,
        "name_pl": STR,
        "name_en": STR,
        "basis": {"enum": ["register", "consumption", "capacity_month", "month", "band_month"]},
        "unit": STR,
        "price_unit": STR,
        "price": STR,
        "register": STR,
        "bands": array(BAND),
        "vat_rate": STR,
    },
    ["code", "name_pl", "name_en", "basis", "unit", "price_unit", "vat_rate"],
)

VERSION: Schema = obj(
    {"valid_from": DATE, "valid_to": NDATE, "current": BOOL, "components": array(COMPONENT)},
    ["valid_from", "valid_to", "current", "components"],
)

PRICE_LIST: Schema = obj(
    {
        "as_of": DATE,
        "tariffs": array(
            obj(
                {
                    "group": STR,
                    "product": {"enum": ["heat", "electricity"]},
                    "name_pl": STR,
                    "name_en": STR,
                    "versions": array(VERSION),
                },
                ["group", "product", "name_pl", "name_en", "versions"],
            )
        ),
    },
    ["as_of", "tariffs"],
)
