"""A local KSeF stand-in (API 2.0 subset the adapter uses) and the FA(3) validation it
applies: the Ministry's XSD from ``../shared/schemas/ksef-fa3`` (or ``KSEF_FA3_SCHEMAS``),
validated offline with xmlschema. The FA(3) schema imports the base types
(``StrukturyDanych_v10-0E.xsd``) by their crd.gov.pl URL: that import is mapped to the
local copy, so nothing is fetched.
"""

from __future__ import annotations

import os
from functools import lru_cache
from pathlib import Path
from typing import Any

ETD_NS = "http://crd.gov.pl/xml/schematy/dziedzinowe/mf/2022/01/05/eD/DefinicjeTypy/"
FA3_XSD = "schemat_FA(3)_v1-0E.xsd"


def schema_dir() -> Path:
    env = os.environ.get("KSEF_FA3_SCHEMAS")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent.parent
    for candidate in (
        here / "schemas" / "ksef-fa3",
        here.parent / "shared" / "schemas" / "ksef-fa3",
    ):
        if (candidate / FA3_XSD).exists():
            return candidate
    raise FileNotFoundError("FA(3) schemas not found; set KSEF_FA3_SCHEMAS")


@lru_cache(maxsize=1)
def fa3_schema() -> Any:
    import xmlschema

    d = schema_dir()
    return xmlschema.XMLSchema(
        str(d / FA3_XSD),
        locations=[(ETD_NS, str(d / "StrukturyDanych_v10-0E.xsd"))],
        allow="local",  # no network: only local files
    )


def fa3_errors(xml: bytes) -> list[str]:
    """Why the real schema rejects this XML (empty: valid)."""
    from xml.etree import ElementTree as ET

    try:
        tree = ET.fromstring(xml)
    except ET.ParseError as exc:
        return [f"not XML: {exc}"]
    return [f"{e.path}: {e.reason}" for e in fa3_schema().iter_errors(tree)]
