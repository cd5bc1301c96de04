"""Migration: give ledger entries written before the history's time-ordered key that key.

The paged ledger history (``GET /customers/{no}/ledger``) reads GSI1 ``LEDGERAT#<no>``;
entries booked before that key existed are not there until this backfill has run once
after the deploy (docs/operations.md, "Migrations"). Every step is one Scan page and one
conditional write per old entry, so it can stop anywhere and resume from the printed
cursor, run in parallel segments, and be run again (it then changes nothing).

    python -m devstack.backfill_ledger --local            # the running local stack
    TABLE_NAME=ebok-prod python -m devstack.backfill_ledger --segment 0 --segments 4
"""

from __future__ import annotations

import argparse
import os
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devstack.backfill_ledger")
    parser.add_argument("--local", action="store_true", help="the running local stack")
    parser.add_argument("--cursor", help="resume from this cursor (printed by a stopped run)")
    parser.add_argument("--page", type=int, default=500, help="items scanned per step")
    parser.add_argument("--max-pages", type=int, default=0, help="stop after N steps (0: all)")
    parser.add_argument("--segment", type=int, default=0)
    parser.add_argument("--segments", type=int, default=1)
    args = parser.parse_args(argv)
    if args.local:
        from devstack.stack import load_env

        os.environ.update(load_env())
    from chalicelib.services import ledger

    cursor, pages, seen, moved = args.cursor, 0, 0, 0
    while True:
        step = ledger.backfill_history(cursor, args.page, args.segment, args.segments)
        pages, seen, moved, cursor = pages + 1, seen + step.seen, moved + step.moved, step.cursor
        if cursor is None or (args.max_pages and pages >= args.max_pages):
            break
    print(f"pages {pages}, ledger entries seen {seen}, given the history key {moved}")
    if cursor:
        print(f"stopped before the end: resume with --cursor {cursor}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
