"""The portal's typedefs of API answers (chalicelib/web/api-types.js) are what the served
OpenAPI document gives now: a route whose schema changed fails here until `make api-types`
is run, and then tsc --checkJs (make js-lint) checks the pages against the new shape."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from devstack import api_types


def test_committed_typedefs_match_the_openapi_document() -> None:
    committed = api_types.TARGET.read_text(encoding="utf-8")
    assert committed == api_types.current(), "chalicelib/web/api-types.js is stale: make api-types"


def test_schema_to_jsdoc() -> None:
    schema = {
        "type": "object",
        "properties": {
            "no": {"type": "string"},
            "net": {"type": "integer"},
            "due": {"type": ["string", "null"]},
            "status": {"enum": ["paid", "unpaid"]},
            "lines": {"type": "array", "items": {"type": "object", "properties": {"q": {"type": "number"}}, "required": ["q"], "additionalProperties": False}},
            "va": {"anyOf": [{"type": "object", "properties": {"iban": {"type": "string"}}, "required": ["iban"], "additionalProperties": False}, {"type": "null"}]},
            "values": {"type": "object", "additionalProperties": {"type": "string"}},
            "meters": {"type": "array", "items": {"type": "object"}},
            "a-b": {"const": True},
        },
        "required": ["no", "net", "status"],
        "additionalProperties": False,
    }  # fmt: skip
    doc = {
        "paths": {
            "/x": {
                "get": {"responses": {"200": {"content": {"application/json": {"schema": schema}}}}}
            }
        }
    }
    text = api_types._Types(doc).of(schema)
    assert text == (
        "{\n"
        "  no: string,\n"
        "  net: number,\n"
        "  due?: string | null,\n"
        '  status: "paid" | "unpaid",\n'
        "  lines?: Array<{\n    q: number,\n  }>,\n"
        "  va?: {\n    iban: string,\n  } | null,\n"
        "  values?: Record<string, string>,\n"
        "  meters?: Array<Record<string, unknown>>,\n"
        '  "a-b"?: true,\n'
        "}"
    )


TSC = api_types.TARGET.parents[2] / "node_modules" / ".bin" / "tsc"
MISUSE = """\
/** @typedef {import("./api-types.js").Overview} Overview */
/** @typedef {import("./api-types.js").InvoiceList} InvoiceList */
/** @typedef {import("./api-types.js").Readings} Readings */
/** @param {Overview} o @param {InvoiceList} l @param {Readings} r */
export function misuse(o, l, r) {
  const ok = [o.customer.name, l.invoices[0].gross + 1, r.readings[0].values["heat_gj"]];
  const a = o.customer.nmae;
  const b = l.invoices[0].gross.toUpperCase();
  /** @type {string} */
  const c = l.next;
  const d = r.readings[0].status === "pending";
  return [ok, a, b, c, d];
}
"""


@pytest.mark.skipif(not TSC.exists(), reason="npm packages not installed (make js-deps)")
def test_tsc_refuses_a_misread_answer(tmp_path: Path) -> None:
    (tmp_path / "api-types.js").write_text(api_types.TARGET.read_text(encoding="utf-8"))
    (tmp_path / "page.js").write_text(MISUSE)
    result = subprocess.run(
        [str(TSC), "--noEmit", "--allowJs", "--checkJs", "--strict", "--target", "ES2022",
         "--module", "ES2022", "--moduleResolution", "bundler", "--skipLibCheck", "page.js"],
        cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    lines = sorted({int(m) for m in re.findall(r"page\.js\((\d+),", result.stdout)})
    # a misspelt field, a number used as a string, an optional null as string, an unknown status
    assert lines == [7, 8, 10, 11], result.stdout
