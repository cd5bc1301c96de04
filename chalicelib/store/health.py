"""Table reachability for the health check."""

from __future__ import annotations

from chalicelib.store.base import Item


def table_status() -> str:
    return str(Item.describe_table().get("TableStatus", ""))
