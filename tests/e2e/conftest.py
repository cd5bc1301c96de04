"""End-to-end fixtures: the real local stack as a subprocess, and Debian's Chromium.

The stack (``python -m devstack run``) is started once per session on its own ports and
state folder, spoken to over HTTP; the portal is driven with Playwright's Python package
and ``executable_path`` (``playwright install`` cannot download browsers here).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from chalicelib.domain import clock

ROOT = Path(__file__).resolve().parents[2]
PORT = int(os.environ.get("EBOK_E2E_PORT", "18080"))
MOTO_PORT = PORT + 1
OUTBOX_PORT = PORT + 2
DEMO_PASSWORD = "Demo-Haslo-2026"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"


HERE = Path(__file__).resolve().parent
XDIST_GROUP = "e2e"


@pytest.hookimpl(tryfirst=True)  # before the marks become node ids (tests/xdist_groups.py)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Every browser test in one pytest-xdist group (``--dist loadgroup``, ``make test``): they
    share the session's local stack, which a second worker would start again on the same
    ports. The hook sees the whole session's items, so only this folder's are marked."""
    for item in items:
        if item.path.resolve().is_relative_to(HERE):
            item.add_marker(pytest.mark.xdist_group(XDIST_GROUP))


@dataclass
class Stack:
    base_url: str
    state_dir: Path
    log: Path

    @property
    def env(self) -> dict[str, str]:
        return dict(json.loads((self.state_dir / "env.json").read_text()))

    def get(self, path: str, headers: dict[str, str] | None = None) -> tuple[int, Any]:
        req = urllib.request.Request(self.base_url + path, headers=headers or {})
        try:
            with urllib.request.urlopen(req, timeout=15) as resp:  # noqa: S310 - loopback
                body = resp.read()
                return resp.status, json.loads(body) if body[:1] in (b"{", b"[") else body
        except urllib.error.HTTPError as err:
            body = err.read()
            return err.code, json.loads(body) if body[:1] in (b"{", b"[") else body

    def post(self, path: str, body: Any, headers: dict[str, str] | None = None) -> tuple[int, Any]:
        data = json.dumps(body).encode()
        req = urllib.request.Request(
            self.base_url + path,
            data=data,
            method="POST",
            headers={"Content-Type": "application/json", **(headers or {})},
        )
        try:
            with urllib.request.urlopen(req, timeout=15) as resp:  # noqa: S310 - loopback
                raw = resp.read()
                return resp.status, json.loads(raw) if raw else None
        except urllib.error.HTTPError as err:
            raw = err.read()
            return err.code, json.loads(raw) if raw[:1] == b"{" else raw

    def outbox(self) -> dict[str, Any]:
        status, body = self.get("/dev/outbox")
        assert status == 200, body
        return dict(body)

    def tokens(self, username: str, password: str = DEMO_PASSWORD) -> dict[str, str]:
        """Cognito tokens straight from the embedded AWS (for tests that need a session
        without going through the login page)."""
        import boto3

        env = self.env
        idp = boto3.client(
            "cognito-idp",
            region_name="eu-central-1",
            endpoint_url=env["AWS_ENDPOINT_URL"],
            aws_access_key_id="local",
            aws_secret_access_key="local",
        )
        from chalicelib.adapters.cognito import secret_hash

        client_id, secret = env["COGNITO_CLIENT_ID"], env.get("COGNITO_CLIENT_SECRET", "")
        res = idp.admin_initiate_auth(  # the app client allows only the API's own flow
            UserPoolId=env["COGNITO_USER_POOL_ID"],
            ClientId=client_id,
            AuthFlow="ADMIN_USER_PASSWORD_AUTH",
            AuthParameters={
                "USERNAME": username,
                "PASSWORD": password,
                "SECRET_HASH": secret_hash(username, client_id, secret),
            },
        )["AuthenticationResult"]
        return {"access_token": res["AccessToken"], "refresh_token": res.get("RefreshToken", "")}

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        """``python -m devstack job|drain ...`` against this stack."""
        return subprocess.run(
            [sys.executable, "-m", "devstack", *args],
            cwd=ROOT,
            env={**os.environ, "EBOK_STATE_DIR": str(self.state_dir)},
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )


def _wait(url: str, proc: subprocess.Popen[bytes], timeout_s: float) -> bool:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:  # noqa: S310 - loopback
                if resp.status == 200:
                    return True
        except Exception:
            pass
        time.sleep(0.5)
    return False


@pytest.fixture(scope="session")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    state = tmp_path_factory.mktemp("devstack")
    log = state / "stack.log"
    env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_ENDPOINT_URL")}
    env["EBOK_STATE_DIR"] = str(state)
    with open(log, "wb") as out:
        proc = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "devstack",
                "run",
                "--port",
                str(PORT),
                "--moto-port",
                str(MOTO_PORT),
                "--outbox-port",
                str(OUTBOX_PORT),
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    base = f"http://127.0.0.1:{PORT}"
    started = time.monotonic()
    ready = _wait(base + "/health", proc, 600)  # a loaded 2-core machine seeds slowly
    if not ready:
        proc.kill()
        pytest.fail("local stack did not start:\n" + log.read_text(errors="replace")[-4000:])
    print(f"local stack ready in {time.monotonic() - started:.1f} s")
    yield Stack(base_url=base, state_dir=state, log=log)
    _stop(proc, state / "env.json")


def _stop(proc: subprocess.Popen[bytes], env_file: Path, timeout_s: float = 20) -> None:
    """Ctrl-C for the stack, then wait until it has stopped what it started: its last step
    removes ``env.json``. What is left is the interpreter's own exit, collecting the embedded
    AWS's large heap (up to ~20 s on a loaded machine): nothing waits for that."""
    os.killpg(proc.pid, signal.SIGINT)
    deadline = time.monotonic() + timeout_s
    while proc.poll() is None and env_file.exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    if proc.poll() is None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield b
        b.close()


def new_context(browser: Any, stack: Stack, **options: Any) -> Any:
    """A browser context whose clock reads the product's clock (``EBOK_NOW``), so that the
    portal's "today" (a reading's date, the outage filter) agrees with the stack's."""
    # Playwright evaluates its wait_for_function predicates with eval, which the portal's CSP
    # (script-src 'self') rightly forbids: test contexts bypass it, and
    # tests/e2e/test_trust_csp.py loads the portal with the CSP enforced.
    options.setdefault("bypass_csp", True)
    context = browser.new_context(base_url=stack.base_url, locale="pl-PL", **options)
    context.clock.install(time=clock.now())
    return context


@pytest.fixture
def page(browser: Any, stack: Stack) -> Iterator[Any]:
    context = new_context(browser, stack)
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    yield pg
    context.close()


def open_as(page: Any, stack: Stack, username: str, path: str = "#/account") -> None:
    """Open the portal with a session of a demo login (bypasses the login form)."""
    tokens = stack.tokens(username)
    page.goto(stack.base_url + "/")
    page.evaluate("t => sessionStorage.setItem('ebok.tokens', JSON.stringify(t))", tokens)
    page.goto(stack.base_url + "/" + path)
    settled(page, path)


def settled(page: Any, path: str) -> None:
    """Wait until the portal has finished drawing `path` (a hash route): a page that was
    still loading when the address changed must not be mistaken for the new one."""
    page.wait_for_function("h => document.getElementById('main').dataset.rendered === h", arg=path)
