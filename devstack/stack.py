"""``make run``: moto server, resources from infra/, demo data, outbox, chalice local.

Everything listens on 127.0.0.1. Ctrl-C (or SIGTERM) stops what it started.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# Where the running stack leaves its environment for the CLI (tests use their own folder).
STATE_DIR = Path(os.environ.get("EBOK_STATE_DIR", str(ROOT / ".devstack")))
REGION = "eu-central-1"


def base_env(moto_port: int) -> dict[str, str]:
    from chalicelib.domain import clock

    return {
        # One clock for the seeding, chalice local and the job CLI (EBOK_NOW sets it).
        clock.ENV_OFFSET: repr(clock.offset_seconds()),
        "AWS_DEFAULT_REGION": REGION,
        "AWS_REGION": REGION,
        "AWS_ACCESS_KEY_ID": "local",
        "AWS_SECRET_ACCESS_KEY": "local",
        "AWS_ENDPOINT_URL": f"http://127.0.0.1:{moto_port}",
        "POWERTOOLS_TRACE_DISABLED": "1",
        "STAGE": "local",
    }


def save_env(env: dict[str, str]) -> None:
    STATE_DIR.mkdir(exist_ok=True)
    (STATE_DIR / "env.json").write_text(json.dumps(env, indent=2), encoding="utf-8")


def load_env() -> dict[str, str]:
    path = STATE_DIR / "env.json"
    if not path.exists():
        raise SystemExit("The local stack is not running: start it with `make run` first.")
    return dict(json.loads(path.read_text(encoding="utf-8")))


def _clients(endpoint: str) -> Any:
    import boto3

    cache: dict[str, Any] = {}

    def client(name: str) -> Any:
        if name not in cache:
            cache[name] = boto3.client(name, region_name=REGION, endpoint_url=endpoint)
        return cache[name]

    return client


def _wait_http(url: str, timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:  # noqa: S310 - loopback
                if resp.status < 500:
                    return True
        except Exception:
            time.sleep(0.3)
    return False


def run(port: int = 8000, moto_port: int = 5000, outbox_port: int = 5001, seed: bool = True) -> int:
    import logging

    from moto.server import ThreadedMotoServer
    from tqdm import tqdm

    from devstack import outbox, provision
    from devstack import seed as seeding

    env = base_env(moto_port)
    os.environ.update(env)
    for name in list(os.environ):
        if name.startswith("AWS_ENDPOINT_URL_"):
            del os.environ[name]

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    # moto's server threads run in this process: make its Cognito refuse what AWS refuses and
    # its DynamoDB apply one request at a time (no lost writes under concurrent requests).
    from devstack import moto_patches

    moto_patches.apply_all()
    print(f"embedded AWS (moto) on http://127.0.0.1:{moto_port}", flush=True)
    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=moto_port, verbose=False)
    moto.start()
    clients = _clients(env["AWS_ENDPOINT_URL"])
    prov = provision.provision(clients)
    env.update(prov.environment())
    env["COGNITO_JWKS_URL"] = (
        f"http://127.0.0.1:{moto_port}/{prov.user_pool_id}/.well-known/jwks.json"
    )
    # As a deployment does: the keys in configuration, no request at the authorizer's cold start.
    with urllib.request.urlopen(env["COGNITO_JWKS_URL"], timeout=10) as resp:  # noqa: S310
        env["COGNITO_JWKS"] = json.dumps(json.loads(resp.read()), separators=(",", ":"))
    env["DEV_OUTBOX_URL"] = f"http://127.0.0.1:{outbox_port}"
    # The sandbox operator posts its signed notification here (configuration, never the
    # request's Host header).
    env["PAYMENT_NOTIFY_URL"] = f"http://127.0.0.1:{port}/payments/notifications"
    # The KSeF stand-in (API 2.0 subset, FA(3) schema) on a free loopback port.
    from devstack import ksef_standin

    ksef_server = ksef_standin.serve(0)
    env["KSEF_API_URL"] = f"http://127.0.0.1:{ksef_server.server_address[1]}/v2"
    os.environ.update(env)
    save_env(env)

    from chalicelib.config import settings
    from chalicelib.domain import clock
    from chalicelib.store.base import configure_table

    settings.cache_clear()
    configure_table(prov.table, REGION)
    server = outbox.serve(outbox_port, REGION)

    ctx = seeding.SeedContext(prov=prov, clients=clients, today=clock.to_warsaw(clock.now()).date())
    if seed:
        bar = tqdm(total=len(seeding.STEPS), desc="demo data", unit="step")

        def progress(name: str) -> None:
            bar.set_postfix_str(name)
            bar.update(1)

        seeding.run(ctx, progress)
        bar.close()
    for line in ctx.notes:
        print(line, flush=True)

    print(
        f"API and portal on http://127.0.0.1:{port}/  (outbox: http://127.0.0.1:{port}/#/dev/outbox)",
        flush=True,
    )
    chalice = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "chalice"),
            "local",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--stage",
            "local",
            "--no-autoreload",
        ],
        cwd=ROOT,
        env={**os.environ, **env},
    )

    stopping = {"now": False}

    def stop(*_: Any) -> None:
        stopping["now"] = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        if not _wait_http(f"http://127.0.0.1:{port}/health", 60):
            print("chalice local did not answer within 60 s", file=sys.stderr)
        else:
            print("ready", flush=True)
        while not stopping["now"] and chalice.poll() is None:
            time.sleep(0.3)
    finally:
        print("stopping…", flush=True)
        if chalice.poll() is None:
            chalice.terminate()
            try:
                chalice.wait(10)
            except subprocess.TimeoutExpired:
                chalice.kill()
        server.shutdown()
        ksef_server.shutdown()
        moto.stop()
        (STATE_DIR / "env.json").unlink(missing_ok=True)
    return 0
