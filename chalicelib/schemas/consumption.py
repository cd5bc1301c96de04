"""Consumption series, season and yearly reports, exports and stored reports."""

from __future__ import annotations

from chalicelib.schemas.common import BOOL, GROSZE, INT, NSTR, STR, Schema, array, obj

MONTH: Schema = {"type": "string", "pattern": r"^\d{4}-(0[1-9]|1[0-2])$"}
CONTRACT_NO: Schema = {
    "type": "string",
    "minLength": 1,
    "maxLength": 40,
    "pattern": r"^[A-Za-z0-9/_.-]+$",
}
SEASON: Schema = {"type": "string", "pattern": r"^\d{4}/\d{4}$"}
YEAR: Schema = {"type": "string", "pattern": r"^\d{4}$"}

SERIES_QUERY: Schema = obj(
    {
        "contract": CONTRACT_NO,
        "from": MONTH,
        "to": MONTH,
        "group_by": {"enum": ["month", "season", "year"]},
    },
)
EXPORT_QUERY: Schema = obj({"contract": CONTRACT_NO, "from": MONTH, "to": MONTH})
SEASON_QUERY: Schema = obj({"contract": CONTRACT_NO, "season": SEASON})
YEAR_QUERY: Schema = obj({"contract": CONTRACT_NO, "year": YEAR})

COST: Schema = {
    "type": ["object", "null"],
    "properties": {
        "net": GROSZE,
        "vat": GROSZE,
        "gross": GROSZE,
        "fixed_net": GROSZE,
        "variable_net": GROSZE,
        "invoices": array(STR),
        "source": {
            "enum": ["invoice", "tariff"],
            "description": "tariff: priced estimate, not invoiced yet",
        },
    },
    "required": ["net", "vat", "gross", "fixed_net", "variable_net", "invoices", "source"],
    "additionalProperties": False,
}
USAGE: Schema = {"type": "object", "additionalProperties": {"type": "string"}}

CONTRACT_SERIES: Schema = obj(
    {
        "contract_no": STR,
        "product": NSTR,
        "tariff_group": NSTR,
        "units": {"type": "object", "additionalProperties": {"type": "string"}},
        "rows": array(
            obj(
                {"period": STR, "months": INT, "usage": USAGE, "estimated": BOOL, "cost": COST},
                ["period", "months", "usage", "estimated", "cost"],
            )
        ),
    },
    ["contract_no", "product", "units", "rows"],
)
SERIES: Schema = obj(
    {
        "customer_no": STR,
        "from": MONTH,
        "to": MONTH,
        "group_by": STR,
        "contracts": array(CONTRACT_SERIES),
    },
    ["customer_no", "from", "to", "group_by", "contracts"],
)

# The reports are documents: their figures are described loosely (strings for Decimals).
REPORT: Schema = obj(
    {
        "customer_no": STR,
        "contract_no": NSTR,
        "kind": {"enum": ["heat_season", "electricity_year"]},
        "period": STR,
        "product": NSTR,
        "data": {"type": "object"},
        "conclusions": array(obj({"key": STR, "text": STR}, ["key", "text"])),
        "peers": {"type": ["object", "null"]},
    },
    ["customer_no", "contract_no", "kind", "period", "data", "conclusions"],
)

REPORT_ITEM: Schema = obj(
    {
        "report_id": STR,
        "contract_no": STR,
        "kind": STR,
        "period": STR,
        "created_at": STR,
        "files": array(STR),
    },
    ["report_id", "contract_no", "kind", "period", "created_at", "files"],
)
REPORT_LIST: Schema = obj(
    {"customer_no": STR, "reports": array(REPORT_ITEM)}, ["customer_no", "reports"]
)
DOWNLOAD_QUERY: Schema = obj({"file": {"enum": ["pdf", "csv"]}}, ["file"])
LINK: Schema = obj(
    {"url": STR, "expires_in": INT, "filename": STR}, ["url", "expires_in", "filename"]
)

WEATHER: Schema = obj(
    {
        "city": NSTR,
        "temperature": {
            "type": ["object", "null"],
            "properties": {"celsius": STR, "observed_at": STR, "station": STR, "source": STR},
        },
        "air_quality": {
            "type": ["object", "null"],
            "properties": {
                "level": INT,
                "category": NSTR,
                "calculated_at": NSTR,
                "station": STR,
                "source": STR,
            },
        },
    },
    ["city", "temperature", "air_quality"],
)
