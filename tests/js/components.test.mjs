// Unit tests of the portal's components (chalicelib/web/components.js) under node's test runner,
// with the minimal fake DOM of fake-dom.mjs: the module needs no router, session or API.
import test from "node:test";
import assert from "node:assert";
import { readFileSync } from "node:fs";

import { document } from "./fake-dom.mjs";

const web = new URL("../../chalicelib/web/", import.meta.url);
const UI = await import(new URL("components.js", web).href);
const { setLang, lang } = await import(new URL("i18n.js", web).href);

/** Runs body with the portal in English, then back in Polish. */
function inEnglish(body) {
  setLang("en");
  try { return body(); } finally { setLang("pl"); }
}
const cells = (tr) => tr.children.map((c) => [c.tagName, c.getAttribute("data-label"), c.getAttribute("class"), c.textContent]);

test("components import only the i18n module, which imports only format.js: no cycle, no shell", () => {
  const imports = (file) => [...readFileSync(new URL(file, web), "utf8").matchAll(/^import .* from "(.+)";$/gm)].map((m) => m[1]);
  assert.deepStrictEqual(imports("components.js"), ["./i18n.js"]);
  assert.deepStrictEqual(imports("i18n.js"), ["./format.js"]);
  assert.ok(!imports("app.js").includes("./app.js"));
  // The module holds no session or router state: nothing here reads sessionStorage or the address.
  const source = readFileSync(new URL("components.js", web), "utf8");
  assert.doesNotMatch(source, /sessionStorage|location\.|localStorage/);
  assert.strictEqual(lang, "pl");
});

test("h sets attributes and listeners, skips empty ones, flattens children", () => {
  let clicked = 0;
  const el = UI.h("p", { class: "x", hidden: true, title: null, "data-n": 0, off: false, onclick: () => clicked++ },
    "a", ["b", [null, UI.h("b", {}, "c")]], undefined, false, 7);
  assert.strictEqual(el.tagName, "P");
  assert.deepStrictEqual([...el.attributes], [["class", "x"], ["hidden", ""], ["data-n", "0"]]);
  assert.strictEqual(el.textContent, "abc7");
  assert.strictEqual(el.children[0].tagName, "B");
  el.dispatch("click");
  assert.strictEqual(clicked, 1);
});

test("the table labels every cell with its column (a card on a phone)", () => {
  const name = UI.h("span", {}, "Nazwa");
  const wrap = UI.table(["Nr", { label: "Kwota", num: true }, { label: name, rowHeader: true }, { label: "Akcje", plain: true }],
    [["F/1", "10,00 zł", "Ciepło", "x"], { cells: ["F/2", "5,00 zł", "Woda", "y"], attrs: { "data-premises": "P1" } }],
    { id: "inv", class: "wide", caption: "Faktury" });
  assert.strictEqual(wrap.getAttribute("class"), "table-wrap wide");
  const tbl = wrap.querySelector("table");
  assert.strictEqual(tbl.getAttribute("class"), "cards-on-phone");
  assert.strictEqual(tbl.getAttribute("id"), "inv");
  assert.strictEqual(tbl.querySelector("caption").textContent, "Faktury");
  const head = tbl.querySelector("thead").querySelectorAll("th");
  assert.deepStrictEqual(head.map((th) => [th.getAttribute("scope"), th.getAttribute("class"), th.textContent]),
    [["col", null, "Nr"], ["col", "num", "Kwota"], ["col", null, "Nazwa"], ["col", null, "Akcje"]]);
  const rows = tbl.querySelector("tbody").children;
  assert.deepStrictEqual(cells(rows[0]), [["TD", "Nr", null, "F/1"], ["TD", "Kwota", "num", "10,00 zł"], ["TH", "Nazwa", null, "Ciepło"], ["TD", null, null, "x"]]);
  assert.strictEqual(rows[0].children[2].getAttribute("scope"), "row");
  assert.strictEqual(rows[1].getAttribute("data-premises"), "P1");
  UI.appendRows(wrap, [["F/3", "1,00 zł", "Gaz", "z"]]);
  const added = tbl.querySelector("tbody").children;
  assert.strictEqual(added.length, 3);
  assert.deepStrictEqual(cells(added[2]).map((c) => c[1]), ["Nr", "Kwota", "Nazwa", null]);
});

test("badges", () => {
  assert.strictEqual(UI.badge("Opłacona", "ok").getAttribute("class"), "badge ok");
  assert.strictEqual(UI.badge("Nowa").getAttribute("class"), "badge");
  assert.strictEqual(UI.badge("Nowa").textContent, "Nowa");
});

test("a field is labelled and has its error slot; select and textarea", () => {
  const f = UI.field("address.street", "Ulica", { required: true, maxlength: 80 });
  const input = f.querySelector("input");
  assert.strictEqual(f.querySelector("label").getAttribute("for"), "f-address-street");
  assert.deepStrictEqual([input.id, input.name, input.getAttribute("type"), input.getAttribute("required"), input.getAttribute("maxlength")],
    ["f-address-street", "address.street", "text", "", "80"]);
  const slot = f.querySelector("p");
  assert.deepStrictEqual([slot.id, slot.getAttribute("class"), slot.getAttribute("aria-live")], ["f-address-street-error", "field-error", "polite"]);
  const sel = UI.field("lang", "Język", { tag: "select", options: [["pl", "Polski"], ["en", "English"]] }).querySelector("select");
  assert.deepStrictEqual(sel.querySelectorAll("option").map((o) => [o.getAttribute("value"), o.textContent]), [["pl", "Polski"], ["en", "English"]]);
  assert.ok(!sel.hasAttribute("tag"));
  assert.ok(UI.field("note", "Uwagi", { tag: "textarea" }).querySelector("textarea"));
});

function form() {
  return UI.h("form", {}, UI.field("address.street", "Ulica"), UI.field("items", "Pozycje"), UI.field("email", "E-mail"));
}

test("showErrors puts every error next to its field, the rest in the summary, and focuses the first", () => {
  const f = form();
  const err = { message: "Błędne dane", problem: { errors: [
    { field: "/address/street", message: "Podaj ulicę." },
    { field: "items.0.qty", message: "Za mało." },
    { field: "items.1.qty", message: "Za dużo." },
    { field: "pesel", message: "Zły PESEL." },
  ] } };
  UI.showErrors(f, err);
  assert.strictEqual(f.querySelector("#f-address-street-error").textContent, "Podaj ulicę.");
  assert.strictEqual(f.querySelector("#f-items-error").textContent, "Za mało. Za dużo.");
  const street = f.querySelector("#f-address-street");
  assert.strictEqual(street.getAttribute("aria-invalid"), "true");
  assert.strictEqual(street.getAttribute("aria-describedby"), "f-address-street-error");
  assert.ok(!f.querySelector("#f-email").hasAttribute("aria-invalid"));
  assert.strictEqual(document.activeElement, street);
  const box = f.querySelector(".form-error");
  assert.strictEqual(f.children[0], box);
  assert.strictEqual(box.getAttribute("role"), "alert");
  assert.strictEqual(box.querySelector("p").textContent, "Popraw zaznaczone pola (4).");
  assert.deepStrictEqual(box.querySelectorAll("li").map((li) => li.textContent), ["Zły PESEL."]);
  assert.strictEqual(box.hidden, false);
  // Cleared: no messages, no invalid fields, the summary hidden (and not duplicated).
  UI.showErrors(f, null);
  assert.deepStrictEqual(f.querySelectorAll(".field-error").map((p) => p.textContent), ["", "", ""]);
  assert.strictEqual(f.querySelectorAll("[aria-invalid]").length, 0);
  assert.strictEqual(f.querySelectorAll(".form-error").length, 1);
  assert.strictEqual(box.hidden, true);
  // One error: the summary is its message; any Error shows its message.
  UI.showErrors(f, new Error("Brak połączenia"));
  assert.strictEqual(box.querySelector("p").textContent, "Brak połączenia");
  inEnglish(() => UI.showErrors(f, { message: "x", problem: { errors: [{ field: "email", message: "a" }, { field: "items", message: "b" }] } }));
  assert.strictEqual(box.querySelector("p").textContent, "Please correct the marked fields (2).");
});

test("checkForm checks the browser's constraints of every field at once, with the page's own", () => {
  const f = form();
  const [street, , email] = f.querySelectorAll("input");
  Object.assign(street, { willValidate: true, checkValidity: () => false, validity: { valueMissing: true }, validationMessage: "" });
  Object.assign(email, { willValidate: true, checkValidity: () => false, validity: { valueMissing: false }, validationMessage: "Brak @" });
  assert.strictEqual(UI.checkForm(f, [{ field: "items", message: "Wybierz pozycję." }]), false);
  assert.strictEqual(f.querySelector("#f-address-street-error").textContent, "To pole jest wymagane.");
  assert.strictEqual(f.querySelector("#f-email-error").textContent, "Brak @");
  assert.strictEqual(f.querySelector("#f-items-error").textContent, "Wybierz pozycję.");
  assert.strictEqual(f.querySelector(".form-error").querySelector("p").textContent, "Popraw zaznaczone pola (3).");
  street.checkValidity = () => true;
  email.checkValidity = () => true;
  assert.strictEqual(UI.checkForm(f), true);
  assert.strictEqual(f.querySelector(".form-error").hidden, true);
  assert.strictEqual(f.querySelector("#f-email-error").textContent, "");
});

const OVERVIEW = {
  premises: [{ premises_id: "P1", label: "Ul. Długa 1" }, { premises_id: "P2", label: "Ul. Krótka 2" }],
  contracts: [{ contract_no: "C/1", premises_id: "P1" }, { contract_no: "C/2", premises_id: "P2" }],
};

test("premisesInfo reads the overview: many premises, each contract's premises, a row's label", () => {
  const info = UI.premisesInfo("K-1", OVERVIEW);
  assert.strictEqual(info.customerNo, "K-1");
  assert.strictEqual(info.many, true);
  assert.deepStrictEqual(info.byContract, { "C/1": "P1", "C/2": "P2" });
  assert.strictEqual(info.label(["P2", "P1", "P2", null]), "Ul. Krótka 2, Ul. Długa 1");
  assert.strictEqual(info.label(["P9"]), "P9");
  assert.strictEqual(info.label([]), "całe konto");
  assert.strictEqual(inEnglish(() => info.label([undefined])), "whole account");
  assert.strictEqual(UI.premisesInfo("K-2", { premises: [OVERVIEW.premises[0]], contracts: [] }).many, false);
});

test("the premises filter: none for one premises; the chosen one selected; a change reported", () => {
  assert.strictEqual(UI.premisesSelect(UI.premisesInfo("K-2", { premises: [OVERVIEW.premises[0]], contracts: [] }), "", () => {}), null);
  const picked = [];
  const box = UI.premisesSelect(UI.premisesInfo("K-1", OVERVIEW), "P2", (id) => picked.push(id));
  assert.strictEqual(box.querySelector("label").getAttribute("for"), "premises-filter");
  assert.strictEqual(box.querySelector("label").textContent, "Pokaż obiekt");
  const select = box.querySelector("select");
  assert.deepStrictEqual(select.querySelectorAll("option").map((o) => [o.getAttribute("value"), o.textContent, o.hasAttribute("selected")]),
    [["", "wszystkie obiekty", false], ["P1", "Ul. Długa 1", false], ["P2", "Ul. Krótka 2", true]]);
  select.value = "P1";
  select.dispatch("change");
  assert.deepStrictEqual(picked, ["P1"]);
});

test("confirm: a modal alert dialog, Cancel focused; yes resolves true, focus returns to the opener", async () => {
  const opener = UI.h("button", {}, "Usuń");
  document.body.append(opener);
  opener.focus();
  const answer = UI.confirm("Usunąć?", "Usuń");
  const dialog = document.body.querySelector("dialog");
  assert.deepStrictEqual([dialog.getAttribute("role"), dialog.getAttribute("aria-modal"), dialog.open], ["alertdialog", "true", true]);
  assert.strictEqual(dialog.querySelector("#" + dialog.getAttribute("aria-labelledby")).textContent, "Usunąć?");
  const [yes, no] = dialog.querySelectorAll("button");
  assert.deepStrictEqual([yes.textContent, no.textContent], ["Usuń", "Anuluj"]);
  assert.strictEqual(document.activeElement, no);
  yes.dispatch("click");
  assert.strictEqual(await answer, true);
  assert.strictEqual(document.body.querySelector("dialog"), null);
  assert.strictEqual(document.activeElement, opener);
  const second = inEnglish(() => UI.confirm("Delete?"));
  const d2 = document.body.querySelector("dialog");
  assert.strictEqual(d2.querySelectorAll("button")[0].textContent, "Yes, go ahead");
  d2.querySelectorAll("button")[1].dispatch("click");
  assert.strictEqual(await second, false);
});

test("fmt of the components writes money and dates in the chosen language", () => {
  const nb = (s) => s.replace(/\u00a0|\u202f/g, " ");
  assert.strictEqual(nb(UI.fmt.money(735310)), "7 353,10 zł");
  assert.strictEqual(inEnglish(() => UI.fmt.date("2026-12-01")), "01/12/2026");
});
