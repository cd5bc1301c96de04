// Unit tests of the portal's shared formatting (chalicelib/web/format.js, fmt of app.js), run
// with `node --test tests/js` (tests/unit/test_portal_js.py runs them in make test).
import test from "node:test";
import assert from "node:assert";

import { createFormat, decimalsOf } from "../../chalicelib/web/format.js";

const nb = (s) => s.replace(/\u00a0|\u202f/g, " ");

test("Polish amounts, prices, dates and times", () => {
  const f = createFormat(() => "pl");
  assert.strictEqual(nb(f.money(735310)), "7 353,10 zł");
  assert.strictEqual(nb(f.money(-1250)), "-12,50 zł");
  assert.strictEqual(nb(f.money("100")), "1,00 zł");
  assert.strictEqual(f.money(null), "—");
  assert.strictEqual(nb(f.money(120000, "EUR")), "1 200,00 EUR");
  assert.strictEqual(nb(f.price("5.50")), "5,50 zł");
  assert.strictEqual(nb(f.price("0.5800")), "0,5800 zł");
  assert.strictEqual(nb(f.price("6.765", 2)), "6,77 zł");
  assert.strictEqual(nb(f.price("12")), "12,00 zł");
  assert.strictEqual(f.price(""), "—");
  assert.strictEqual(nb(f.number("1234.5678")), "1 234,568");
  assert.strictEqual(f.date("2026-12-01"), "01.12.2026");
  assert.strictEqual(f.date(null), "—");
  assert.strictEqual(f.datetime("2026-12-01T07:00:00Z"), "01.12.2026 08:00");
  assert.strictEqual(f.datetime("2026-07-01T06:30:00Z"), "01.07.2026 08:30");
  assert.strictEqual(f.datetime("2026-12-31T23:30:00Z"), "01.01.2027 00:30");
  assert.strictEqual(f.unit("zł/MW/mc"), "zł/MW/mc");
  assert.strictEqual(f.period("2026-11"), "11.2026");
});

test("English amounts, prices, dates and units", () => {
  const f = createFormat(() => "en");
  assert.strictEqual(nb(f.money(735310)), "PLN 7,353.10");
  assert.strictEqual(nb(f.money(120000, "EUR")), "EUR 1,200.00");
  assert.strictEqual(nb(f.price("5.50")), "PLN 5.50");
  assert.strictEqual(nb(f.price("0.5800")), "PLN 0.5800");
  assert.strictEqual(nb(f.number("1234.5678", 1)), "1,234.6");
  assert.strictEqual(f.date("2026-12-01"), "01/12/2026");
  assert.strictEqual(f.datetime("2026-12-01T07:00:00Z"), "01/12/2026 08:00");
  assert.strictEqual(f.unit("zł/MW/mc"), "PLN/MW/month");
  assert.strictEqual(f.unit("zł/kWh"), "PLN/kWh");
  assert.strictEqual(f.period("2026-11"), "11/2026");
});

test("the language is read at each call (the switch needs no new formatter)", () => {
  let lang = "pl";
  const f = createFormat(() => lang);
  assert.strictEqual(nb(f.money(100)), "1,00 zł");
  lang = "en";
  assert.strictEqual(nb(f.money(100)), "PLN 1.00");
});

test("published precision", () => {
  assert.strictEqual(decimalsOf("0.5800"), 4);
  assert.strictEqual(decimalsOf("5"), 0);
  assert.strictEqual(decimalsOf(5.5), 1);
});
