"""Reports on consumption: the heating-season report (raport sezonu grzewczego) and the
electricity yearly report, built from the monthly projection (one Query per contract), the
city's daily temperatures (one Query) and the customer's collection (one Query).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from chalicelib import i18n
from chalicelib.domain import consumption as rules
from chalicelib.domain import weather as weather_rules
from chalicelib.domain.principal import Principal
from chalicelib.errors import FieldError, NotFound, ValidationFailed
from chalicelib.services import consumption, weather
from chalicelib.services.access import require_customer
from chalicelib.services.usage_months import cost_sums
from chalicelib.store import consumption as usage_store
from chalicelib.store import reports as usage_reports
from chalicelib.store.customers import Contract, Premises, customer_collection

HEAT = "heat_season"
POWER = "electricity_year"


@dataclass(frozen=True)
class ContractInfo:
    customer_no: str
    contract: Contract
    city: str


def contract_info(customer_no: str, contract_no: str) -> ContractInfo:
    """The contract and its premises' city (one Query); 404 if not the customer's."""
    items = customer_collection(customer_no)
    contract = next(
        (i for i in items if isinstance(i, Contract) and i.contract_no == contract_no), None
    )
    if contract is None:
        raise NotFound()
    premises = next(
        (i for i in items if isinstance(i, Premises) and i.premises_id == contract.premises_id),
        None,
    )
    city = str(premises.address.city) if premises is not None else weather.FALLBACK_CITY
    return ContractInfo(customer_no, contract, city)


def default_season(today: date) -> str:
    """The last finished heating season (it ends with April)."""
    y = today.year if today.month >= 5 else today.year - 1
    return f"{y - 1}/{y}"


def _season_hdd(city: str, season: str) -> tuple[Decimal, str]:
    months = rules.season_months(season)
    first = rules.month_first(months[0])
    last_key = months[-1]
    last = date(int(last_key[:4]), int(last_key[5:]), rules.month_days(last_key))
    temps = weather.daily_means(city, first, last)
    return rules.hdd(temps.means), temps.source


def _cost_public(cost: rules.MonthCost | None) -> dict[str, int] | None:
    return None if cost is None else cost_sums(cost)


def _figures_public(f: rules.SeasonFigures) -> dict[str, Any]:
    return {
        "season": f.season,
        "months": list(f.months),
        "heat_gj": str(f.heat_gj),
        "start_gj": str(f.start_gj),
        "end_gj": str(f.end_gj),
        "cost": _cost_public(f.cost),
        "start_cost": _cost_public(f.start_cost),
        "end_cost": _cost_public(f.end_cost),
        "cwu": None
        if f.cwu is None
        else {
            "monthly_gj": str(f.cwu.monthly_gj),
            "season_gj": str(f.cwu.season_gj),
            "year_gj": str(f.cwu.year_gj),
            "estimated": f.cwu.estimated,
            "basis_months": list(f.cwu.basis_months),
        },
        "space_heating_gj": str(f.space_heating_gj),
        "hdd": None if f.hdd is None else str(f.hdd),
        "gj_per_hdd": None if f.gj_per_hdd is None else str(f.gj_per_hdd),
        "estimated": f.estimated,
        "peak_month": f.peak_month,
        "peak_gj": str(f.peak_gj),
    }


def _texts(conclusions: Sequence[rules.Conclusion], lang: str) -> list[dict[str, str]]:
    return [{"key": c.key, "text": i18n.t(c.key, lang, **c.params)} for c in conclusions]


def _rows(customer_no: str, contract_no: str, first: str, last: str) -> dict[str, rules.Row]:
    items = usage_store.months(customer_no, contract_no, first, last)
    return {r.key: r for r in consumption.rows_of(items)}


def season_report_data(info: ContractInfo, season: str, lang: str = "pl") -> dict[str, Any]:
    """The heating-season report of a heat contract against the season before it."""
    c = info.contract
    if c.product != "heat":
        raise ValidationFailed(errors=[FieldError("contract", "consumption.wrong_product")])
    prev = rules.previous_season(season)
    months = rules.season_months(season)
    first = rules.add_months(rules.season_months(prev)[0], -5)  # the summer before ``prev``
    rows = _rows(info.customer_no, c.contract_no, first, months[-1])
    hdd_now, source_now = _season_hdd(info.city, season)
    hdd_prev, source_prev = _season_hdd(info.city, prev)
    now = rules.season_figures(rows, season, hdd_now)
    before = rules.season_figures(rows, prev, hdd_prev)
    conclusions = rules.season_conclusions(now, before, c.ordered_capacity_mw)
    normalised_pct = (
        rules.change_pct(now.gj_per_hdd, before.gj_per_hdd)
        if now.gj_per_hdd is not None and before.gj_per_hdd
        else None
    )
    return {
        "customer_no": info.customer_no,
        "contract_no": c.contract_no,
        "kind": HEAT,
        "period": season,
        "product": c.product,
        "data": {
            "city": info.city,
            "ordered_capacity_mw": str(c.ordered_capacity_mw or ""),
            "temperature_source": "demo"
            if weather_rules.DEMO in (source_now, source_prev)
            else "imgw",
            "season": _figures_public(now),
            "previous": _figures_public(before),
            "change_pct": _str(rules.change_pct(now.heat_gj, before.heat_gj)),
            "normalised_change_pct": _str(normalised_pct),
            "months": [_month_pair(rows, m) for m in months],
        },
        "conclusions": _texts(conclusions, lang),
        "peers": peers_public(
            info, HEAT, season, rules.season_intensity(rows, season, c.ordered_capacity_mw), lang
        ),
    }


def _str(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _month_pair(rows: Mapping[str, rules.Row], month: str) -> dict[str, Any]:
    row, last = rows.get(month), rows.get(rules.same_month_last_year(month))
    return {
        "month": month,
        "usage": {k: str(rules.q3(v)) for k, v in (row.registers if row else {}).items()},
        "usage_last_year": {
            k: str(rules.q3(v)) for k, v in (last.registers if last else {}).items()
        },
        "estimated": bool(row and row.estimated),
        "gross": row.cost.gross if row and row.cost else None,
        "gross_last_year": last.cost.gross if last and last.cost else None,
    }


def _bands(contract: Contract, on: date) -> list[tuple[Decimal | None, str, str]]:
    """The capacity-charge bands of the contract's tariff (data, not code)."""
    from chalicelib.domain.tariffs import version_at
    from chalicelib.services import tariffs

    version = version_at(tariffs.versions(contract.tariff_group), on)
    for comp in version.components if version else ():
        if comp.bands:
            return [(b.up_to_kwh, b.label_pl, b.label_en) for b in comp.bands]
    return []


def year_report_data(info: ContractInfo, year: int, lang: str = "pl") -> dict[str, Any]:
    """The electricity yearly report: kWh and cost per month against last year, G12 zones,
    the capacity-charge band of the year's use."""
    c = info.contract
    if c.product != "electricity":
        raise ValidationFailed(errors=[FieldError("contract", "consumption.wrong_product")])
    months = rules.month_range(f"{year}-01", f"{year}-12")
    rows = _rows(info.customer_no, c.contract_no, f"{year - 1}-01", f"{year}-12")
    total = sum((rules.energy_total(rows[m].registers) for m in months if m in rows), Decimal(0))
    last_total = sum(
        (
            rules.energy_total(rows[rules.same_month_last_year(m)].registers)
            for m in months
            if rules.same_month_last_year(m) in rows
        ),
        Decimal(0),
    )
    share = rules.night_share([rows[m] for m in months if m in rows])
    band = rules.band_position(total, _bands(c, date(year, 12, 31)))
    conclusions: list[rules.Conclusion] = []
    if band is not None:
        label = band.label_en if lang == "en" else band.label_pl
        conclusions.append(
            rules.Conclusion(
                "consumption.conclusion.band",
                {"kwh": str(rules.q3(total).normalize()), "band": label},
            )
        )
        if band.up_to_kwh is not None and band.up_to_kwh - total < 100:
            conclusions.append(
                rules.Conclusion(
                    "consumption.conclusion.band_near",
                    {
                        "limit": str(band.up_to_kwh),
                        "left": str(rules.q3(band.up_to_kwh - total).normalize()),
                    },
                )
            )
    if share is not None:
        conclusions.append(
            rules.Conclusion("consumption.conclusion.night_share", {"pct": str(share)})
        )
    cost = None
    for m in months:
        if m in rows:
            cost = rules.merge_cost(cost, rows[m].cost)
    return {
        "customer_no": info.customer_no,
        "contract_no": c.contract_no,
        "kind": POWER,
        "period": str(year),
        "product": c.product,
        "data": {
            "tariff_group": c.tariff_group,
            "total_kwh": str(rules.q3(total)),
            "last_year_kwh": str(rules.q3(last_total)),
            "change_pct": _str(rules.change_pct(total, last_total)),
            "night_share_pct": _str(share),
            "band": None
            if band is None
            else {
                "index": band.index,
                "from_kwh": str(band.lower_kwh),
                "up_to_kwh": _str(band.up_to_kwh),
                "label_pl": band.label_pl,
                "label_en": band.label_en,
            },
            "cost": _cost_public(cost),
            "months": [_month_pair(rows, m) for m in months],
        },
        "conclusions": _texts(conclusions, lang),
        "peers": peers_public(info, POWER, str(year), rules.year_energy(rows, year), lang),
    }


# --- comparison with similar homes ------------------------------------------------------


def peer_group(city: str, product: str, tariff_group: str) -> str:
    """Similar homes: same city, product and tariff group."""
    return f"{weather_rules.city_key(city)}#{product}#{tariff_group}"


METRICS = {HEAT: "gj_per_mw", POWER: "kwh_per_year"}


def peers_public(
    info: ContractInfo, kind: str, period: str, value: Decimal | None, lang: str
) -> dict[str, Any] | None:
    """The customer's place among similar homes (one GetItem of the group's summary, made by
    the report job), or None: no figure, no summary, or fewer than ``MIN_PEERS`` others.
    Only the customer's own figure and a decile band are shown, never another's figure."""
    if value is None:
        return None
    c = info.contract
    summary = usage_reports.get_summary(
        kind, period, peer_group(info.city, c.product, c.tariff_group)
    )
    if summary is None:
        return None
    pos = rules.peer_position(value, int(summary.samples), [Decimal(str(x)) for x in summary.cuts])
    if pos is None:
        return None
    key = "consumption.peers.heat" if kind == HEAT else "consumption.peers.power"
    return {
        "metric": METRICS[kind],
        "value": str(value),
        "peers": pos.peers,
        "decile": pos.decile,
        "from_pct": pos.from_pct,
        "to_pct": pos.to_pct,
        "group": {"city": info.city, "product": c.product, "tariff_group": c.tariff_group},
        "text": i18n.t(
            key,
            lang,
            peers=pos.peers,
            city=info.city,
            tariff=c.tariff_group,
            value=str(value.normalize()),
            low=pos.from_pct,
            high=pos.to_pct,
        ),
    }


# --- API use cases ---------------------------------------------------------------------


def _pick(customer_no: str, contract_no: str | None, product: str) -> ContractInfo | None:
    """The contract asked for (404 if not the customer's), or the customer's first contract
    of the product (None if it has none)."""
    if contract_no:
        return contract_info(customer_no, contract_no)
    items = customer_collection(customer_no)
    first = next(
        (
            i.contract_no
            for i in sorted(
                (i for i in items if isinstance(i, Contract)), key=lambda c: c.contract_no
            )
            if i.product == product
        ),
        None,
    )
    return contract_info(customer_no, first) if first else None


def _empty(customer_no: str, kind: str, period: str) -> dict[str, Any]:
    return {
        "customer_no": customer_no,
        "contract_no": None,
        "kind": kind,
        "period": period,
        "product": None,
        "data": {},
        "conclusions": [],
        "peers": None,
    }


def season_report(
    principal: Principal, customer_no: str, query: Mapping[str, str], lang: str
) -> dict[str, Any]:
    require_customer(principal, customer_no)
    season = query.get("season") or default_season(consumption.today())
    if int(season[5:]) != int(season[:4]) + 1:
        raise ValidationFailed(errors=[FieldError("season", "field.invalid")])
    info = _pick(customer_no, query.get("contract"), "heat")
    return season_report_data(info, season, lang) if info else _empty(customer_no, HEAT, season)


def year_report(
    principal: Principal, customer_no: str, query: Mapping[str, str], lang: str
) -> dict[str, Any]:
    require_customer(principal, customer_no)
    year = int(query.get("year") or consumption.today().year - 1)
    info = _pick(customer_no, query.get("contract"), "electricity")
    return year_report_data(info, year, lang) if info else _empty(customer_no, POWER, str(year))


# --- stored reports (the report job's PDF and CSV in S3) ---------------------------------

LINK_SECONDS = 300  # presigned download links expire within minutes


def stored_reports(principal: Principal, customer_no: str) -> dict[str, Any]:
    """The customer's stored reports, newest first (one Query of their own partition)."""
    require_customer(principal, customer_no)
    return {
        "customer_no": customer_no,
        "reports": [
            {
                "report_id": r.report_id,
                "contract_no": r.contract_no,
                "kind": r.kind,
                "period": r.period,
                "created_at": r.created_at or r.claimed_at,
                "files": ["pdf", "csv"],
            }
            for r in usage_reports.list_reports(customer_no)
        ],
    }


def report_link(
    principal: Principal, customer_no: str, report_id: str, file: str
) -> dict[str, Any]:
    """A presigned link (300 s) to one file of the customer's report; 404 for an unknown
    id or another customer's report (its key holds the customer number)."""
    from chalicelib.adapters import s3
    from chalicelib.config import settings

    require_customer(principal, customer_no)
    key = usage_reports.parse_report_id(report_id)
    found = (
        usage_reports.get_report(customer_no, key.kind, key.period, key.contract_no)
        if key is not None
        else None
    )
    if found is None or found.status == usage_reports.RENDERING or not found.pdf_key:
        raise NotFound()
    object_key = found.pdf_key if file == "pdf" else found.csv_key
    if not object_key:
        raise NotFound()
    filename = f"Raport_{report_id}.{file}"
    url = s3.presigned_get(
        settings().reports_bucket, object_key, expires_s=LINK_SECONDS, filename=filename
    )
    return {"url": url, "expires_in": LINK_SECONDS, "filename": filename}
