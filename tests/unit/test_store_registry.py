"""Store modules load per area, on demand.

``chalicelib.store`` imports nothing (a cold start loads only the areas its code reads); an
item of an area not loaded yet imports its module when read, and a query over every entity
returns every typed item, as when all modules were imported up front. The list of entity
types is checked complete by ``tests/unit/test_architecture.py``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from chalicelib.store import AREAS, load_all

ROOT = Path(__file__).resolve().parents[2]


def test_a_type_missing_from_the_list_still_reads() -> None:
    """A model someone forgot to list costs a full import, never a failed read."""
    seen = _fresh(
        "import json, sys\n"
        "import chalicelib.store as s\n"
        "del s.MODULE_OF['AccountBalance']\n"
        "from chalicelib.store.base import Item\n"
        "item = Item.from_raw_data({'PK': {'S': 'LEDGER#100001'}, 'SK': {'S': '@BALANCE'},\n"
        "                           'type': {'S': 'AccountBalance'}})\n"
        "print(json.dumps({'cls': type(item).__name__}))\n"
    )
    assert seen["cls"] == "AccountBalance"


def test_load_all_imports_every_listed_module() -> None:
    load_all()
    assert all(f"chalicelib.store.{area}" in sys.modules for area in AREAS)


def _fresh(code: str) -> dict[str, object]:
    env = {**os.environ, "STAGE": "local", "PYTHONPATH": str(ROOT)}
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, check=True
    )
    return dict(json.loads(out.stdout.strip().splitlines()[-1]))


def test_reading_an_item_of_an_unloaded_area_loads_that_area_only() -> None:
    seen = _fresh(
        "import json, sys\n"
        "from chalicelib.store.base import Item\n"
        "before = sorted(m for m in sys.modules if m.startswith('chalicelib.store.'))\n"
        "item = Item.from_raw_data({'PK': {'S': 'LEDGER#100001'}, 'SK': {'S': '@BALANCE'},\n"
        "                           'type': {'S': 'AccountBalance'}})\n"
        "after = sorted(m for m in sys.modules if m.startswith('chalicelib.store.'))\n"
        "print(json.dumps({'cls': type(item).__module__ + '.' + type(item).__name__,\n"
        "                  'before': before, 'after': after}))\n"
    )
    assert seen["cls"] == "chalicelib.store.ledger.AccountBalance"
    assert "chalicelib.store.ledger" not in seen["before"]
    assert "chalicelib.store.ledger" in seen["after"]
    assert "chalicelib.store.threads" not in seen["after"]


def test_a_query_over_every_entity_filters_on_typed_items_without_loading_them() -> None:
    """``Item.query`` returns every typed entity (as when every area was imported and listed
    in ``type IN (...)``), whatever the number of entity types (DynamoDB: at most 100)."""
    seen = _fresh(
        "import json, sys\n"
        "from chalicelib.store.base import Item\n"
        "cond = Item.type.is_in(*Item.type.get_registered_subclasses(Item))\n"
        "names, values = {}, {}\n"
        "text = cond.serialize(names, values)\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('chalicelib.store.'))\n"
        "print(json.dumps({'text': text, 'names': names, 'values': values, 'loaded': loaded}))\n"
    )
    assert seen["text"] == "attribute_exists (#0)" and seen["names"] == {"type": "#0"}
    assert seen["values"] == {}
    assert seen["loaded"] == ["chalicelib.store.base"]


def test_a_query_on_an_entity_still_filters_on_its_own_types() -> None:
    from chalicelib.store.customers import Customer

    cond = Customer.type.is_in(*Customer.type.get_registered_subclasses(Customer))
    names: dict[str, str] = {}
    values: dict[str, object] = {}
    assert cond.serialize(names, values).startswith("#0 IN (")
    assert list(values.values()) == [{"S": "Customer"}]


def test_an_unknown_type_is_still_refused() -> None:
    from chalicelib.store.base import Item

    try:
        Item.from_raw_data({"PK": {"S": "X#1"}, "SK": {"S": "Y"}, "type": {"S": "NoSuchEntity"}})
    except ValueError as exc:
        assert "NoSuchEntity" in str(exc)
    else:  # pragma: no cover - the assertion is the point
        raise AssertionError("an unknown type was accepted")
