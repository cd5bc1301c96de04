"""``make bench``: prints ``name: value unit`` lines, one per figure."""

from __future__ import annotations

import importlib
import sys

BENCHES = [
    "bench.foundation",
    "bench.coldstart",
    "bench.invoicing",
    "bench.scale_invoicing",
    "bench.payments",
    "bench.outages",
    "bench.reports",
    "bench.scale_senders",
]


def main() -> int:
    for name in BENCHES:
        module = importlib.import_module(name)
        for metric, value, unit in module.run():
            print(f"{metric}: {value:g} {unit}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
