"""``make bench``: prints ``name: value unit`` lines, one per figure."""

from __future__ import annotations

import contextlib
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
        # Only the figures go to standard output: whatever a bench's code prints on the way
        # (progress, Powertools' metric records) goes to standard error.
        with contextlib.redirect_stdout(sys.stderr):
            figures = list(module.run())
        for metric, value, unit in figures:
            print(f"{metric}: {value:g} {unit}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
