"""JSDoc typedefs of the API answers the portal reads, generated from the OpenAPI document.

``make api-types`` (``python -m devstack.api_types``) writes ``chalicelib/web/api-types.js``;
tests/unit/test_portal_api_types.py fails when the committed file differs from what the
served document gives now, so a route's schema and the pages' types cannot drift apart.
The pages name these types in JSDoc (``import("./api-types.js").Overview``) and
``tsc --checkJs --strict`` checks every field they read against the route's schema.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path
from typing import Any

TARGET = Path(__file__).resolve().parents[1] / "chalicelib" / "web" / "api-types.js"

# The answers the pages read: typedef name -> (method, path) of the operation (its 200 answer).
ANSWERS: dict[str, tuple[str, str]] = {
    "Me": ("GET", "/me"),
    "Overview": ("GET", "/customers/{customer_no}/overview"),
    "Balance": ("GET", "/customers/{customer_no}/balance"),
    "InvoiceList": ("GET", "/customers/{customer_no}/invoices"),
    "Invoice": ("GET", "/customers/{customer_no}/invoices/{invoice_id}"),
    "Ledger": ("GET", "/customers/{customer_no}/ledger"),
    "PaymentList": ("GET", "/customers/{customer_no}/payments"),
    "Payment": ("GET", "/customers/{customer_no}/payments/{payment_id}"),
    "Readings": ("GET", "/customers/{customer_no}/meters/{serial}/readings"),
    "CustomerOutages": ("GET", "/customers/{customer_no}/outages"),
}
# Names for the items of the lists above: typedef name -> (answer, its array field).
ITEMS: dict[str, tuple[str, str]] = {
    "OverviewPremises": ("Overview", "premises"),
    "OverviewContract": ("Overview", "contracts"),
    "OverviewMeter": ("Overview", "meters"),
    "InvoiceSummary": ("InvoiceList", "invoices"),
    "InvoiceLine": ("Invoice", "lines"),
    "LedgerEntry": ("Ledger", "entries"),
    "PaymentSummary": ("PaymentList", "payments"),
    "ReadingRow": ("Readings", "readings"),
    "CustomerOutage": ("CustomerOutages", "outages"),
}

_IDENT = re.compile(r"^[A-Za-z_$][A-Za-z0-9_$]*$")
_PAD = " * "


class _Types:
    """JSON Schema (as the routes declare it) to a TypeScript type in JSDoc."""

    def __init__(self, doc: dict[str, Any]) -> None:
        self.components = doc.get("components", {}).get("schemas", {})

    def union(self, parts: list[str]) -> str:
        seen: list[str] = []
        for p in parts:
            if p not in seen:
                seen.append(p)
        return " | ".join(seen) if seen else "never"

    def of(self, s: dict[str, Any] | bool, depth: int = 0) -> str:
        if s is True or s == {}:
            return "unknown"
        if s is False:
            return "never"
        assert isinstance(s, dict)
        if "$ref" in s:
            return self.of(self.components[str(s["$ref"]).rsplit("/", 1)[-1]], depth)
        if "const" in s:
            return json.dumps(s["const"], ensure_ascii=False)
        if "enum" in s:
            return self.union([json.dumps(v, ensure_ascii=False) for v in s["enum"]])
        for key in ("anyOf", "oneOf"):
            if key in s:
                return self.union([self.of(x, depth) for x in s[key]])
        if "allOf" in s:
            return " & ".join(self.wrap(self.of(x, depth)) for x in s["allOf"])
        kind = s.get("type")
        if isinstance(kind, list):
            return self.union([self.of({**s, "type": k}, depth) for k in kind])
        return self.simple(kind, s, depth)

    def simple(self, kind: Any, s: dict[str, Any], depth: int) -> str:
        if kind == "string":
            return "string"
        if kind in ("integer", "number"):
            return "number"
        if kind == "boolean":
            return "boolean"
        if kind == "null":
            return "null"
        if kind == "array":
            return "Array<" + self.of(s.get("items", True), depth) + ">"
        if kind == "object" or "properties" in s:
            return self.obj(s, depth)
        return "unknown"

    @staticmethod
    def wrap(t: str) -> str:
        return "(" + t + ")" if " | " in t and not t.startswith("{") else t

    def obj(self, s: dict[str, Any], depth: int) -> str:
        props: dict[str, Any] = s.get("properties", {})
        extra = s.get("additionalProperties", True)
        if not props:
            return (
                "Record<string, "
                + ("unknown" if extra in (True, {}) else self.of(extra, depth))
                + ">"
            )
        required = set(s.get("required", []))
        inner = "  " * (depth + 1)
        lines = []
        for name, sub in props.items():
            key = name if _IDENT.match(name) else json.dumps(name)
            optional = "" if name in required else "?"
            lines.append(f"{inner}{key}{optional}: {self.of(sub, depth + 1)},")
        if extra not in (False, None):
            more = "unknown" if extra in (True, {}) else self.of(extra, depth + 1)
            lines.append(f"{inner}[key: string]: {more},")
        return "{\n" + "\n".join(lines) + "\n" + "  " * depth + "}"


def _answer(doc: dict[str, Any], method: str, path: str) -> dict[str, Any]:
    responses = doc["paths"][path][method.lower()]["responses"]
    ok = next(v for k, v in sorted(responses.items()) if k.startswith("2"))
    schema: dict[str, Any] = ok["content"]["application/json"]["schema"]
    return schema


def render(doc: dict[str, Any]) -> str:
    types = _Types(doc)
    out = [
        "/* The API answers the portal reads, as JSDoc typedefs for tsc --checkJs --strict.",
        "   GENERATED by `make api-types` (devstack/api_types.py) from the OpenAPI document:",
        "   do not edit; tests/unit/test_portal_api_types.py fails when it is stale. */",
        "",
    ]
    for name, (method, path) in ANSWERS.items():
        body = types.of(_answer(doc, method, path))
        text = f"{{{body}}} {name} {method} {path}"
        out.append("/** @typedef " + text.replace("\n", "\n" + _PAD) + " */")
    out.append("")
    for name, (answer, field) in ITEMS.items():
        out.append(f'/** @typedef {{{answer}["{field}"][number]}} {name} */')
    out += ["", "export {};", ""]
    return "\n".join(out)


def current() -> str:
    """The typedefs the routes' schemas give now."""
    os.environ.setdefault("STAGE", "local")
    import app  # noqa: F401  (registers every route's operation)
    from chalicelib.api.openapi import document

    return render(document())


def main(argv: list[str] | None = None) -> int:
    args = argv if argv is not None else sys.argv[1:]
    text = current()
    if args[:1] == ["--check"]:
        if TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET} is stale: run make api-types", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
