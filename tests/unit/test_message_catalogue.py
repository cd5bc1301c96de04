"""Every message key used in the code renders as a sentence, in Polish and in English, in a
fresh process: catalogues are loaded before the first message whatever was imported first
(services load lazily, so a catalogue registered as an import side effect could be missing).
"""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KEY = re.compile(r"^[a-z][a-z0-9_]*\.[a-z0-9_]+(\.[a-z0-9_]+)*$")

RENDER = """
import json, sys
from collections import defaultdict
from chalicelib.i18n import catalogue

keys = json.loads(sys.stdin.read())
prefixes = {k.split(".")[0] for k in catalogue()}
fields = defaultdict(lambda: "X")  # every {placeholder} filled
out = {}
for key in keys:
    if key.split(".")[0] in prefixes:
        pl, en = catalogue().get(key, (key, key))
        out[key] = [pl.format_map(fields), en.format_map(fields)]
print(json.dumps({"prefixes": sorted(prefixes), "rendered": out}))
"""


def _is_message_call(node: ast.Call) -> bool:
    """``t(key)``, ``FieldError(field, key)``, ``NotFound(key)``, ``ValidationFailed(key)``...:
    the translator and the error classes (capitalised callables). Lowercase helpers such as
    ``audit.record("registration.activate", ...)`` take action names, not message keys."""
    name = node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
    return name == "t" or name[:1].isupper()


def _keys_in_code() -> set[str]:
    keys: set[str] = set()
    for path in (ROOT / "chalicelib").rglob("*.py"):
        if "messages" in path.parts or path.name == "i18n.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call) or not _is_message_call(node):
                continue
            for arg in [*node.args, *(k.value for k in node.keywords)]:
                if (
                    isinstance(arg, ast.Constant)
                    and isinstance(arg.value, str)
                    and KEY.match(arg.value)
                ):
                    keys.add(arg.value)
    return keys


def test_every_key_used_renders_in_both_languages_in_a_fresh_process() -> None:
    keys = sorted(_keys_in_code())
    result = subprocess.run(
        [sys.executable, "-c", RENDER],
        input=json.dumps(keys),
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    seen = json.loads(result.stdout)
    rendered = seen["rendered"]
    # The scan finds keys of every area that has a catalogue (not only the common ones).
    assert {"error", "field", "invoices", "outages", "payments", "readings"} <= set(
        seen["prefixes"]
    )
    # The scan is not vacuous: it finds the keys that routes raise in every area.
    used_prefixes = {k.split(".")[0] for k in rendered}
    assert {
        "invoices",
        "outages",
        "payments",
        "readings",
        "admin",
        "auth",
        "faults",
    } <= used_prefixes
    assert len(rendered) > 100
    raw = sorted(k for k, (pl, en) in rendered.items() if pl == k or en == k)
    assert not raw, f"message keys with no sentence: {raw}"
    same = sorted(k for k, (pl, en) in rendered.items() if pl == en and len(pl) > 12)
    assert not same, f"messages not translated: {same}"
