"""pytest-xdist's ``--dist loadgroup`` under pytest 9.2 (``make test``).

xdist 3.8.0 tells its scheduler a test's group by appending ``@<group>`` to the node id its
worker reports, through ``item._nodeid``, which pytest 9.2 no longer reads (the id lives in
``item._id``). Without this the ``xdist_group`` marks are silently ignored: the browser
tests spread over both workers, each starting the local stack on the same ports.
"""

from __future__ import annotations

from typing import Any


def group_of(item: Any) -> str | None:
    """The ``@``-suffix xdist would give the item: its group names, sorted, joined by ``_``."""
    names = {
        str(mark.args[0] if mark.args else mark.kwargs.get("name", "default"))
        for mark in item.iter_markers("xdist_group")
    }
    return "_".join(sorted(names)) if names else None


def apply_groups(config: Any, items: list[Any]) -> None:
    """In a loadgroup worker, give every grouped item the node id xdist meant it to have."""
    if not getattr(config.option, "loadgroup", False):  # set only in xdist's workers
        return
    from _pytest.nodeid import NodeId

    for item in items:
        group = group_of(item)
        if group is None or item.nodeid.endswith(f"@{group}"):
            continue  # ungrouped, or an xdist that does it itself
        item._id = NodeId.parse(f"{item.nodeid}@{group}")
