"""Local stack commands: run, jobs, job, drain, policies, package-check."""

from __future__ import annotations

import argparse
import os
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m devstack", description=__doc__)
    sub = parser.add_subparsers(dest="cmd", required=True)
    run = sub.add_parser("run", help="moto + resources + demo data + chalice local on 127.0.0.1")
    run.add_argument("--port", type=int, default=int(os.environ.get("EBOK_PORT", "8000")))
    run.add_argument("--moto-port", type=int, default=int(os.environ.get("EBOK_MOTO_PORT", "5000")))
    run.add_argument(
        "--outbox-port", type=int, default=int(os.environ.get("EBOK_OUTBOX_PORT", "5001"))
    )
    run.add_argument("--no-seed", action="store_true", help="start empty (no demo data)")
    sub.add_parser("jobs", help="list scheduled jobs and queue consumers")
    job = sub.add_parser("job", help="run a scheduled job now (against the running local stack)")
    job.add_argument("name")
    job.add_argument("--period", help="billing period YYYY-MM (becomes detail.period)")
    job.add_argument("--season", help="heating season YYYY/YYYY (becomes detail.season)")
    job.add_argument(
        "--set", action="append", default=[], metavar="KEY=VALUE", help="more detail fields"
    )
    drain = sub.add_parser(
        "drain", help="feed a queue's messages to its handler ('all' for every queue)"
    )
    drain.add_argument("queue")
    publish = sub.add_parser(
        "publish", help="publish a file on an SNS topic of the stack (e.g. ses-feedback)"
    )
    publish.add_argument("topic")
    publish.add_argument("file")
    sub.add_parser("policies", help="rewrite .chalice/policy-<stage>.json")
    sub.add_parser(
        "package-check", help="cfn-lint infra/template.yaml and `chalice package` output"
    )
    args = parser.parse_args(argv)

    if args.cmd == "run":
        from devstack.stack import run as run_stack

        return run_stack(args.port, args.moto_port, args.outbox_port, seed=not args.no_seed)
    if args.cmd == "jobs":
        from devstack.cli import list_jobs

        return list_jobs()
    if args.cmd == "job":
        from devstack.cli import run_job

        detail: dict[str, str] = dict(kv.split("=", 1) for kv in args.set)
        if args.period:
            detail["period"] = args.period
        if args.season:
            detail["season"] = args.season
        return run_job(args.name, detail)
    if args.cmd == "drain":
        from devstack.cli import drain as drain_queue

        return drain_queue(args.queue)
    if args.cmd == "publish":
        from devstack.cli import publish as publish_file

        return publish_file(args.topic, args.file)
    if args.cmd == "policies":
        from devstack.policies import write_all

        for path in write_all():
            print(path)
        return 0
    if args.cmd == "deploy":
        from devstack.package_check import deploy

        return deploy(args.stage)
    if args.cmd == "package-check":
        from devstack.package_check import main as check

        return check()
    return 2


if __name__ == "__main__":
    sys.exit(main())
