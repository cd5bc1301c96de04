"""Tariff versions (taryfy): ``PK = TARIFF#<group>, SK = V#<valid_from>``.

Every version also sits under ``GSI1 = (TARIFFS, <group>#<valid_from>)`` so the public price
list is one Query over the index.
"""

from __future__ import annotations

import json
from typing import Any

from pynamodb.attributes import UnicodeAttribute

from chalicelib.store.base import Item


def tariff_pk(group: str) -> str:
    return f"TARIFF#{group}"


class TariffVersionItem(Item, discriminator="TariffVersion"):
    """One priced version of a tariff group, valid from ``valid_from`` to the next version."""

    group = UnicodeAttribute()
    product = UnicodeAttribute()
    name_pl = UnicodeAttribute()
    name_en = UnicodeAttribute()
    source = UnicodeAttribute(default="")
    valid_from = UnicodeAttribute()
    components_json = UnicodeAttribute()  # list of component dicts, prices as strings

    @property
    def components(self) -> list[dict[str, Any]]:
        return list(json.loads(self.components_json))


def version_item(
    group: str,
    product: str,
    name_pl: str,
    name_en: str,
    source: str,
    valid_from: str,
    components: list[dict[str, Any]],
) -> TariffVersionItem:
    return TariffVersionItem(
        tariff_pk(group),
        f"V#{valid_from}",
        GSI1PK="TARIFFS",
        GSI1SK=f"{group}#{valid_from}",
        group=group,
        product=product,
        name_pl=name_pl,
        name_en=name_en,
        source=source,
        valid_from=valid_from,
        components_json=json.dumps(components, ensure_ascii=False, sort_keys=True),
    )


def put_versions(items: list[TariffVersionItem]) -> None:
    with TariffVersionItem.batch_write() as batch:
        for item in items:
            batch.save(item)


def group_versions(group: str) -> list[TariffVersionItem]:
    return [
        i
        for i in Item.query(tariff_pk(group), Item.SK.startswith("V#"))
        if isinstance(i, TariffVersionItem)
    ]


def all_versions() -> list[TariffVersionItem]:
    return [i for i in Item.gsi1.query("TARIFFS") if isinstance(i, TariffVersionItem)]
