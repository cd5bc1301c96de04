"""Honest cold starts, measured as wall time of fresh processes against the local AWS.

The local stack (moto server with the demo data) runs once; then, in alternation so that
machine noise hits both alike:

- **overview**: a fresh process loads the deployed authorizer handler and the API handler,
  verifies a real Cognito token (JWKS from the embedded AWS) and serves
  ``GET /customers/100001/overview`` as API Gateway would invoke them; beside it the floor,
  a fresh process that imports boto3 and makes one DynamoDB GetItem.
- **invoicing worker**: a fresh process loads the invoicing handlers and takes one contract
  through the pipeline's three stages (pricing into a draft, the numbering stage's one
  transaction, publishing: PDF to S3 and hand-over to delivery); between the stages the
  harness receives the stage's message with the worker's own SQS client (on AWS the event
  source mapping receives, not the function). Beside it the floor, a fresh process that
  imports boto3 and fpdf, renders one page with the same fonts and puts one item.

The two handlers of the overview run in one process here; behind API Gateway they are two
Lambdas, each with its own cold start, so production pays the shared imports twice.

The ratios (the targets) are of wall-time medians, from spawning the fresh process to its
answer (as a Lambda's cold start ends with its first response; the process's exit, which no
request pays, is counted on neither side). Beside them the CPU-time medians (user + system
of the fresh process at its answer): its own work, without the time it waits for the local
AWS or for a busy machine's other processes. The local AWS is the one ``make run`` uses, with
``devstack.moto_patches`` (a table or index Query reads its partition, a transaction copies only
the items it names, attribute values skip moto's generic serializer). Figures and what
moved them: docs/operations.md, "Cold starts".
"""

from __future__ import annotations

import json
import os
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Probes of each kind, in alternation. The overview's are cheap: 15 per stack, 30 in all (on
# a 2-core machine shared with other work a run's ratio moved by 0.1-0.2 at 7 probes). The
# worker takes one demo contract of the last ended month per probe, 8 per stack, so the
# bench starts the local stack twice (16 worker probes).
RUNS = 15
STACKS = 2
MARK = "BENCH-RESULT "
# Every probe ends with ``done(result)``: the answer is out, the clock stops (the process's
# exit, which a Lambda does not pay per request, is counted on neither side), and the
# process reports its own CPU time (user + system since it started) at that moment.
PRELUDE = """
import json as _json, time as _time
def done(result):
    cpu_ms = _time.process_time() * 1000
    print("BENCH-RESULT " + _json.dumps(dict(result, cpu_ms=cpu_ms)), flush=True)
"""

OVERVIEW = """
import json, sys
token, customer = sys.argv[1], sys.argv[2]
from chalicelib.api.authorizer import authorizer
arn = "arn:aws:execute-api:eu-central-1:123456789012:abc/api/GET/customers/" + customer + "/overview"
policy = authorizer({"type": "TOKEN", "authorizationToken": "Bearer " + token, "methodArn": arn}, None)
import app
event = {
    "resource": "/customers/{customer_no}/overview", "path": "/customers/" + customer + "/overview",
    "httpMethod": "GET", "headers": {"Accept-Language": "pl"}, "multiValueHeaders": {},
    "queryStringParameters": None, "multiValueQueryStringParameters": None,
    "pathParameters": {"customer_no": customer}, "stageVariables": None, "body": None,
    "isBase64Encoded": False,
    "requestContext": {"resourcePath": "/customers/{customer_no}/overview", "httpMethod": "GET",
                       "path": "/api/customers/" + customer + "/overview", "stage": "api",
                       "requestId": "bench", "identity": {"sourceIp": "127.0.0.1"},
                       "authorizer": dict(policy.get("context", {}), principalId=policy["principalId"])},
}
answer = app.app(event, None)
done({"status": answer["statusCode"], "principal": policy["principalId"]})
"""

OVERVIEW_FLOOR = """
import os, sys, boto3
table = boto3.client("dynamodb").get_item(TableName=os.environ["TABLE_NAME"],
    Key={"PK": {"S": "CUST#" + sys.argv[2]}, "SK": {"S": "@PROFILE"}})
done({})
"""

WORKER = """
import json, os, sys
from chalicelib.jobs.invoicing import NUMBERING_QUEUE, invoice_numbering, invoicing_worker
from chalicelib.adapters.aws import client
from chalicelib.adapters.sqs import queue_url
# Lambda's event source mapping, not the function, receives the messages: the harness takes
# them with the worker's own SQS client (no second botocore session) and the queue URLs the
# worker has already looked up when it sent to them (no lookups of its own).
sqs = client("sqs")

def records(bodies, queue):
    return {"Records": [{"messageId": str(i), "receiptHandle": str(i), "body": b,
            "attributes": {}, "messageAttributes": {}, "eventSource": "aws:sqs",
            "eventSourceARN": "arn:aws:sqs:eu-central-1:123456789012:" + queue,
            "awsRegion": "eu-central-1"} for i, b in enumerate(bodies)]}

def take(queue):
    url = queue_url(queue)
    got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages", [])
    for m in got:
        sqs.delete_message(QueueUrl=url, ReceiptHandle=m["ReceiptHandle"])
    return [m["Body"] for m in got]

invoicing = os.environ["INVOICING_QUEUE"]
body = json.dumps({"customer_no": sys.argv[1], "contract_no": sys.argv[2], "period": sys.argv[3]})
invoicing_worker(records([body], invoicing), None)            # pricing -> draft
drafts = take(NUMBERING_QUEUE)
invoice_numbering(records(drafts, NUMBERING_QUEUE), None)     # number + issue (one transaction)
published = take(invoicing)
invoicing_worker(records(published, invoicing), None)         # PDF to S3, hand-over
done({"drafts": len(drafts), "published": len(published)})
"""

WORKER_FLOOR = """
import os, sys, boto3
from fpdf import FPDF
pdf = FPDF()
fonts = "chalicelib/render/fonts/"
pdf.add_font("DejaVu", "", fonts + "DejaVuSans.ttf")
pdf.add_font("DejaVu", "B", fonts + "DejaVuSans-Bold.ttf")
pdf.add_page()
pdf.set_font("DejaVu", "B", 14)
pdf.cell(0, 10, "Faktura VAT — zażółć gęślą jaźń")
data = bytes(pdf.output())
boto3.client("dynamodb").put_item(TableName=os.environ["TABLE_NAME"],
    Item={"PK": {"S": "BENCH#floor"}, "SK": {"S": sys.argv[1]}, "size": {"N": str(len(data))}})
done({})
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _probe(code: str, env: dict[str, str], *args: str) -> tuple[float, float, dict[str, Any]]:
    """Wall milliseconds from spawning a fresh process to its answer, the process's CPU
    milliseconds (user + system) at its answer, and what it answered."""
    with tempfile.TemporaryFile("w+") as err:
        started = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, "-c", PRELUDE + code, *args],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=err,
            text=True,
        )
        watchdog = threading.Timer(120, proc.kill)
        watchdog.start()
        try:
            elapsed, answer, printed = _answer(proc, started)
            proc.wait()
        finally:
            watchdog.cancel()
        err.seek(0)
        if proc.returncode != 0 or answer is None:
            raise RuntimeError(f"cold-start probe failed:\n{printed[-2000:]}\n{err.read()[-2000:]}")
    cpu = float(answer.pop("cpu_ms"))
    return elapsed, cpu, answer


def _answer(
    proc: subprocess.Popen[str], started: float
) -> tuple[float, dict[str, Any] | None, str]:
    """Read the probe's output to its answer line (the clock stops there), then the rest."""
    assert proc.stdout is not None
    printed: list[str] = []
    for line in proc.stdout:
        printed.append(line)
        if line.startswith(MARK):
            elapsed = (time.perf_counter() - started) * 1000
            rest = proc.stdout.read()
            return elapsed, dict(json.loads(line[len(MARK) :])), "".join(printed) + rest
    return 0.0, None, "".join(printed)


class _Stack:
    """``python -m devstack run`` on free ports in a temporary state folder."""

    def __init__(self) -> None:
        self.state = Path(tempfile.mkdtemp(prefix="ebok-bench-"))
        port = _free_port()
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_ENDPOINT_URL")}
        env["EBOK_STATE_DIR"] = str(self.state)
        self.log = open(self.state / "stack.log", "wb")  # noqa: SIM115 - closed in stop()
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "devstack", "run", "--port", str(port)]
            + ["--moto-port", str(_free_port()), "--outbox-port", str(_free_port())],
            cwd=ROOT,
            env=env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=2):  # noqa: S310
                    break
            except Exception:
                if self.proc.poll() is not None:
                    break
                time.sleep(0.5)
        else:
            self.stop()
            raise RuntimeError("local stack did not start")
        self.env = dict(json.loads((self.state / "env.json").read_text()))

    def stop(self) -> None:
        try:
            os.killpg(self.proc.pid, signal.SIGINT)
            self.proc.wait(20)
        except Exception:
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.log.close()


def _child_env(stack_env: dict[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_ENDPOINT_URL")}
    env.update(stack_env)
    env.update(
        {
            "PYTHONPATH": str(ROOT),
            # Lambda's defaults for log output are not what is measured here.
            "POWERTOOLS_LOG_LEVEL": "WARNING",
            "LOG_LEVEL": "WARNING",
        }
    )
    return env


def _token(env: dict[str, str], username: str) -> str:
    import boto3

    idp = boto3.client(
        "cognito-idp",
        region_name=env["AWS_REGION"],
        endpoint_url=env["AWS_ENDPOINT_URL"],
        aws_access_key_id="local",
        aws_secret_access_key="local",
    )
    from chalicelib.adapters.cognito import secret_hash

    client_id = env["COGNITO_CLIENT_ID"]
    res = idp.admin_initiate_auth(  # the app client allows only the API's own flow
        UserPoolId=env["COGNITO_USER_POOL_ID"],
        ClientId=client_id,
        AuthFlow="ADMIN_USER_PASSWORD_AUTH",
        AuthParameters={
            "USERNAME": username,
            "PASSWORD": "Demo-Haslo-2026",
            "SECRET_HASH": secret_hash(username, client_id, env.get("COGNITO_CLIENT_SECRET", "")),
        },
    )
    return str(res["AuthenticationResult"]["AccessToken"])


def _uninvoiced(env: dict[str, str]) -> tuple[str, list[tuple[str, str]]]:
    """The last ended month (the demo leaves it un-invoiced) and its contracts."""
    saved = dict(os.environ)
    os.environ.update(env)
    try:
        from chalicelib.config import settings
        from chalicelib.domain.invoices import previous_month
        from chalicelib.store.base import Item, configure_table
        from chalicelib.store.customers import all_contracts

        settings.cache_clear()
        configure_table(env["TABLE_NAME"], env["AWS_REGION"])
        period = previous_month()
        return period.key, [(c.customer_no, c.contract_no) for c in all_contracts()]
    finally:
        os.environ.clear()
        os.environ.update(saved)
        # The next bench of this process (``make bench`` runs them in turn) must not reach
        # this stack through the cached clients and PynamoDB connection, nor its settings.
        from chalicelib.adapters import aws

        aws.reset_clients()
        configure_table(Item.Meta.table_name)
        settings.cache_clear()


def _figures(
    name: str, key: str, what: str, floor_what: str, target: float, got: Samples
) -> Figures:
    """Medians of wall time (the target's measure) and, beside them, of CPU time: the
    process's own work, without the waits on the local AWS and on a busy machine's other
    processes. The ratio is of the two medians; beside it the median of the paired ratios
    (each probe against the floor probe that ran right after it), which a change of the
    machine's speed between pairs (a neighbour's load, the hypervisor) does not move."""
    wall, cpu = [statistics.median(x) for x in zip(*got[key], strict=True)]
    fwall, fcpu = [statistics.median(x) for x in zip(*got[key + "_floor"], strict=True)]
    paired = statistics.median(
        a[0] / b[0] for a, b in zip(got[key], got[key + "_floor"], strict=True)
    )
    return [
        (f"coldstart_{name}_wall_median", round(wall, 1), f"ms ({what})"),
        (f"coldstart_{name}_floor_wall_median", round(fwall, 1), f"ms ({floor_what})"),
        (f"coldstart_{name}_ratio", round(wall / fwall, 2), f"x (target <= {target:g})"),
        (f"coldstart_{name}_paired_ratio_median", round(paired, 2), "x (median of pairs)"),
        (f"coldstart_{name}_cpu_median", round(cpu, 1), "ms (user + system)"),
        (f"coldstart_{name}_floor_cpu_median", round(fcpu, 1), "ms (user + system)"),
        (f"coldstart_{name}_cpu_ratio", round(cpu / fcpu, 2), "x"),
        (f"coldstart_{name}_probes", len(got[key]), "probes"),
    ]


Samples = dict[str, list[tuple[float, float]]]
Figures = list[tuple[str, float, str]]


def _probe_stack(got: Samples) -> None:
    """One local stack: RUNS overview probes and one worker probe per un-invoiced contract
    (at most RUNS), each beside its floor, in alternation."""
    stack = _Stack()
    try:
        env = _child_env(stack.env)
        token = _token(stack.env, "10000001")
        period, contracts = _uninvoiced(stack.env)
        for i in range(RUNS):
            wall, cpu, seen = _probe(OVERVIEW, env, token, "100001")
            assert seen["status"] == 200 and seen["principal"] == "10000001", seen
            got["overview"].append((wall, cpu))
            got["overview_floor"].append(_probe(OVERVIEW_FLOOR, env, token, "100001")[:2])
            if i < len(contracts):
                customer_no, contract_no = contracts[i]
                wall, cpu, seen = _probe(WORKER, env, customer_no, contract_no, period)
                assert seen == {"drafts": 1, "published": 1}, seen
                got["worker"].append((wall, cpu))
                got["worker_floor"].append(_probe(WORKER_FLOOR, env, str(i))[:2])
    finally:
        stack.stop()


def run() -> list[tuple[str, float, str]]:
    from devstack.package_check import precompile

    precompile()  # as the deployed bundle carries it (the floor's packages have theirs)
    got: Samples = {k: [] for k in ("overview", "overview_floor", "worker", "worker_floor")}
    for _ in range(STACKS):
        _probe_stack(got)
    overview = _figures(
        "overview",
        "overview",
        "authorizer + API handler, one request",
        "import boto3 + one GetItem",
        1.3,
        got,
    )
    worker = _figures(
        "invoicing_worker",
        "worker",
        "one invoice from one message",
        "import boto3 + fpdf, one page, one PutItem",
        1.5,
        got,
    )
    return overview + worker
