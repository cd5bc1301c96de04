// Unit tests of the portal's shared formatting (EBOK.fmt in chalicelib/web/app.js), run with
// `node --test tests/js` (tests/unit/test_portal_js.py runs them in make test).
"use strict";
const test = require("node:test");
const assert = require("node:assert");
const path = require("node:path");

function load(lang) {
  const store = { "ebok.lang": lang };
  global.window = {};
  global.localStorage = { getItem: (k) => store[k] || null, setItem() {} };
  global.sessionStorage = { getItem: () => null, setItem() {}, removeItem() {} };
  global.navigator = { language: lang };
  const file = path.join(__dirname, "..", "..", "chalicelib", "web", "app.js");
  delete require.cache[require.resolve(file)];
  require(file);
  return window.EBOK.fmt;
}
const nb = (s) => s.replace(/\u00a0|\u202f/g, " ");

test("Polish amounts, prices, dates and times", () => {
  const f = load("pl");
  assert.strictEqual(nb(f.money(735310)), "7 353,10 zł");
  assert.strictEqual(nb(f.money(-1250)), "-12,50 zł");
  assert.strictEqual(f.money(null), "—");
  assert.strictEqual(nb(f.price("5.50")), "5,50 zł");
  assert.strictEqual(nb(f.price("0.5800")), "0,5800 zł");
  assert.strictEqual(nb(f.price("6.765", 2)), "6,77 zł");
  assert.strictEqual(f.date("2026-12-01"), "01.12.2026");
  assert.strictEqual(f.datetime("2026-12-01T07:00:00Z"), "01.12.2026 08:00");
  assert.strictEqual(f.datetime("2026-07-01T06:30:00Z"), "01.07.2026 08:30");
  assert.strictEqual(f.unit("zł/MW/mc"), "zł/MW/mc");
  assert.strictEqual(f.period("2026-11"), "11.2026");
});

test("English amounts, prices, dates and units", () => {
  const f = load("en");
  assert.strictEqual(nb(f.money(735310)), "PLN 7,353.10");
  assert.strictEqual(nb(f.price("5.50")), "PLN 5.50");
  assert.strictEqual(f.date("2026-12-01"), "01/12/2026");
  assert.strictEqual(f.datetime("2026-12-01T07:00:00Z"), "01/12/2026 08:00");
  assert.strictEqual(f.unit("zł/MW/mc"), "PLN/MW/month");
  assert.strictEqual(f.unit("zł/kWh"), "PLN/kWh");
});
