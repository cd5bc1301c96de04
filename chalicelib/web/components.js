/* eBOK portal components (issue 16): the DOM builder h(), the table that becomes cards on a
   phone, badges, form fields with every field's errors, the confirm dialog, the premises
   filter, and fmt (money, numbers and dates in the chosen language, format.js). No router,
   session or API state here: a component takes what it needs as arguments (the shell in
   app.js binds the premises filter to the session and the router). Imports only the i18n
   module, so app.js and every page may import it without a cycle; node's test runner loads it
   with a minimal fake DOM (tests/js/components.test.mjs). */
import { t, addMessages, fmt } from "./i18n.js";

/** @typedef {{ field?: string, message: string }} FieldProblem */
/** @typedef {{ message: string, problem?: { errors?: FieldProblem[] } | null }} ProblemLike an ApiError, or an error found before sending */
/** @typedef {{ label: string | Node, num?: boolean, key?: boolean, rowHeader?: boolean, plain?: boolean }} Column */
/** @typedef {Array<unknown> | { cells: Array<unknown>, attrs?: Attrs }} Row */
/** @typedef {HTMLDivElement & { columns?: Column[] }} TableWrap */
/** @typedef {import("./api-types.js").OverviewPremises} PremisesItem */
/** @typedef {{ customerNo: string, list: PremisesItem[], many: boolean,
 *    byContract: Record<string, string>, label: (ids: Array<string | null | undefined>) => string }} PremisesInfo */

addMessages({
  "error.form": ["Popraw zaznaczone pola ({n}).", "Please correct the marked fields ({n})."],
  "error.required": ["To pole jest wymagane.", "This field is required."],
  "error.invalid": ["Nieprawidłowa wartość.", "Invalid value."],
  "confirm.yes": ["Tak, wykonaj", "Yes, go ahead"],
  "confirm.no": ["Anuluj", "Cancel"],
  "premises.filter": ["Pokaż obiekt", "Show premises"],
  "premises.all": ["wszystkie obiekty", "all premises"],
  "premises.account": ["całe konto", "whole account"],
});

/* Tiny DOM builder: h("p", {class: "x", onclick: fn}, "text", child) */
/** Attributes of h(): on<event> handlers (given the event) and attribute values.
 * @typedef {{ [name: string]: unknown, [event: `on${string}`]: ((e: any) => unknown) | null | undefined | false }} Attrs */
/** @param {string} tag @param {Attrs | null} [attrs] @param {...any} children
 * @returns {any} the element (any: pages use it as the input, select or form it is) */
function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === null || v === undefined || v === false) continue;
    if (k.startsWith("on") && typeof v === "function") el.addEventListener(k.slice(2), /** @type {EventListener} */ (v));
    else if (k === "html") el.innerHTML = String(v);
    else el.setAttribute(k, v === true ? "" : String(v));
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/* A labelled form field with its error slot; returns the wrapper. */
/** @param {string} name @param {string} label
 * @param {Record<string, any> & { tag?: "select" | "textarea", options?: Array<[string, string]> }} [attrs] */
function field(name, label, attrs) {
  const id = "f-" + name.replace(/\W/g, "-");
  const input = attrs && attrs.tag === "select" ? h("select", Object.assign({ id, name }, attrs, { tag: null }), ...(attrs.options || []).map((/** @type {[string, string]} */ o) => h("option", { value: o[0] }, o[1])))
    : attrs && attrs.tag === "textarea" ? h("textarea", Object.assign({ id, name }, attrs, { tag: null }))
    : h("input", Object.assign({ id, name, type: "text" }, attrs || {}, { options: null }));
  return h("div", { class: "field" }, h("label", { for: id }, label), input, h("p", { class: "field-error", id: id + "-error", "aria-live": "polite" }));
}
/* Every invalid field at once, next to the field (problem+json `errors`), nothing the user
   typed is lost (the form is not re-rendered); a summary on top says how many and focuses the
   first. Field names may be dotted ("address.street"); an error for a field the form does not
   show goes into the summary. */
/** @param {HTMLElement} form @param {string} name @returns {HTMLElement | null} */
function slotFor(form, name) {
  const key = String(name).replace(/^\//, "").replace(/\//g, ".");
  const candidates = [key, key.replace(/\.\d+(\.|$)/g, "$1").replace(/\.$/, ""), key.split(".")[0]];
  for (const c of candidates) {
    const slot = /** @type {HTMLElement | null} */ (form.querySelector("#f-" + c.replace(/\W/g, "-") + "-error"));
    if (slot) return slot;
  }
  return null;
}
/** @param {HTMLElement} form @param {unknown} error what a request threw: an ApiError of app.js (its
 * problem's errors) or any Error (its message); or null to clear */
function showErrors(form, error) {
  const err = /** @type {ProblemLike | null} */ (error);
  form.querySelectorAll(".field-error").forEach((p) => (p.textContent = ""));
  form.querySelectorAll("[aria-invalid]").forEach((el) => el.removeAttribute("aria-invalid"));
  /** @type {FieldProblem[]} */
  const list = err && err.problem && Array.isArray(err.problem.errors) ? err.problem.errors : [];
  /** @type {string[]} */
  const unplaced = [];
  /** @type {HTMLElement | null} */
  let first = null;
  for (const e of list) {
    const slot = slotFor(form, e.field || "");
    if (!slot) { unplaced.push(e.message); continue; }
    slot.textContent = slot.textContent ? slot.textContent + " " + e.message : e.message;
    /** @type {HTMLElement | null} */
    const input = form.querySelector("#" + slot.id.replace(/-error$/, ""));
    if (input) {
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", slot.id);
      if (!first) first = input;
    }
  }
  let found = form.querySelector(".form-error");
  if (!found) { found = h("div", { class: "flash error form-error", role: "alert" }); form.prepend(/** @type {HTMLElement} */ (found)); }
  const box = /** @type {HTMLElement} */ (found);
  box.innerHTML = "";
  if (err) {
    box.append(h("p", {}, list.length > 1 ? t("error.form", { n: list.length }) : err.message));
    if (unplaced.length) box.append(h("ul", {}, unplaced.map((m) => h("li", {}, m))));
  }
  box.hidden = !err;
  if (first) /** @type {HTMLElement} */ (first).focus();
  else if (err && box.scrollIntoView) box.scrollIntoView({ block: "nearest" });
}
/* The browser's own constraints (required, pattern, type, min/max) checked for every field at
   once before anything is sent; returns true when the form may be submitted. */
/** @param {HTMLElement} form @returns {FieldProblem[]} */
function formErrors(form) {
  /** @type {FieldProblem[]} */
  const errors = [];
  /** @type {NodeListOf<HTMLInputElement>} */ (form.querySelectorAll("input, select, textarea")).forEach((el) => {
    if (!el.name || !el.willValidate || el.checkValidity()) return;
    errors.push({ field: el.name, message: el.validity.valueMissing ? t("error.required") : (el.validationMessage || t("error.invalid")) });
  });
  return errors;
}
/* extra: errors the page found itself (e.g. nothing picked), shown together with these. */
/** @param {HTMLElement} form @param {FieldProblem[]} [extra] */
function checkForm(form, extra) {
  const errors = formErrors(form).concat(extra || []);
  if (!errors.length) { showErrors(form, null); return true; }
  showErrors(form, { message: errors[0].message || t("error.invalid"), problem: { errors } });
  return false;
}
/* A destructive staff action asks first: a modal dialog (role alertdialog) in the chosen
   language that the keyboard can use: focus starts on "Cancel", Tab moves between the two
   buttons (the modal keeps focus inside), Escape cancels, and focus returns to the control
   that opened it. Resolves true only for the explicit "yes". */
let confirmSeq = 0;
/** @param {string} message @param {string} [yesLabel] @returns {Promise<boolean>} */
function confirmAction(message, yesLabel) {
  return new Promise((resolve) => {
    const opener = /** @type {HTMLElement | null} */ (document.activeElement);
    const textId = "confirm-text-" + (++confirmSeq);
    const dialog = h("dialog", { class: "confirm", role: "alertdialog", "aria-modal": "true", "aria-labelledby": textId },
      h("p", { id: textId }, message),
      h("div", { class: "actions" },
        h("button", { type: "button", class: "danger", value: "yes", onclick: () => dialog.close("yes") }, yesLabel || t("confirm.yes")),
        h("button", { type: "button", class: "secondary", value: "no", onclick: () => dialog.close("no") }, t("confirm.no"))));
    dialog.addEventListener("close", () => {
      const ok = dialog.returnValue === "yes";
      dialog.remove();
      if (opener && opener.isConnected && typeof opener.focus === "function") opener.focus();
      resolve(ok);
    });
    document.body.append(dialog);
    if (!dialog.showModal) { dialog.remove(); resolve(window.confirm(message)); return; }
    dialog.showModal();
    /** @type {HTMLElement | null} */
    const cancel = dialog.querySelector("button.secondary");
    if (cancel) cancel.focus();
  });
}
/* The shared table: on a phone every row becomes a card, each cell labelled by its column
   (data-label, see styles.css). headers: strings or {label, num, key, rowHeader, plain: the
   card shows the cell without its column's label}; a row is
   an array of cells or {cells, attrs} (attributes of its <tr>, e.g. data-premises).
   appendRows(wrap, rows) adds rows later ("show more") with the same labels. */
/** @param {Array<string | Node | Column>} headers @returns {Column[]} */
function columnsOf(headers) {
  return headers.map((x) => (typeof x === "object" && x !== null && !(x instanceof Node) ? x : { label: x }));
}
/** @param {Column[]} cols @param {Row} r */
function tableRow(cols, r) {
  const cells = Array.isArray(r) ? r : r.cells;
  const cell = (/** @type {unknown} */ c, /** @type {number} */ i) => {
    const col = cols[i] || {};
    const cls = [col.num ? "num" : "", col.key ? "key" : ""].filter(Boolean).join(" ") || null;
    const label = col.plain ? null : col.label instanceof Node ? col.label.textContent : col.label || null;
    return h(col.rowHeader ? "th" : "td", { class: cls, scope: col.rowHeader ? "row" : null, "data-label": label }, c);
  };
  return h("tr", Array.isArray(r) ? {} : r.attrs || {}, cells.map(cell));
}
/** @param {Array<string | Node | Column>} headers @param {Row[]} rows
 * @param {{ id?: string, class?: string, caption?: string }} [options] @returns {TableWrap} */
function table(headers, rows, options) {
  const cols = columnsOf(headers);
  const wrap = h("div", { class: "table-wrap" + (options && options.class ? " " + options.class : "") }, h("table", { class: "cards-on-phone", id: options && options.id },
    options && options.caption ? h("caption", {}, options.caption) : null,
    h("thead", {}, h("tr", {}, cols.map((col) => h("th", { scope: "col", class: col.num ? "num" : null }, col.label)))),
    h("tbody", {}, rows.map((r) => tableRow(cols, r)))));
  wrap.columns = cols;
  return wrap;
}
/** @param {TableWrap} wrap @param {Row[]} rows */
function appendRows(wrap, rows) {
  const body = /** @type {HTMLElement} */ (wrap.querySelector("tbody"));
  rows.forEach((r) => body.append(tableRow(wrap.columns || [], r)));
}

/* Building managers (and anyone with more than one premises): which premises a row is for.
   premisesInfo reads the customer's overview answer (its premises and contracts); label(ids)
   names the premises of a row ("whole account" when it has none). */
/** @param {string} customerNo
 * @param {Pick<import("./api-types.js").Overview, "premises" | "contracts">} overview
 * @returns {PremisesInfo} */
function premisesInfo(customerNo, overview) {
  /** @type {Record<string, string>} */
  const labels = Object.fromEntries(overview.premises.map((p) => [p.premises_id, p.label]));
  return {
    customerNo,
    list: overview.premises,
    many: overview.premises.length > 1,
    byContract: Object.fromEntries(overview.contracts.map((c) => [c.contract_no, c.premises_id])),
    /** @param {Array<string | null | undefined>} ids */
    label(ids) {
      const names = [...new Set(/** @type {string[]} */ ((ids || []).filter(Boolean)))].map((id) => labels[id] || id);
      return names.length ? names.join(", ") : t("premises.account");
    },
  };
}
/* The filter by premises (a labelled select, "" = all), or null with a single premises;
   onChange gets the chosen premises id. */
/** @param {PremisesInfo} info @param {string} chosen @param {(premisesId: string) => unknown} onChange */
function premisesSelect(info, chosen, onChange) {
  if (!info.many) return null;
  const select = h("select", { id: "premises-filter", name: "premises", onchange: () => onChange(select.value) },
    h("option", { value: "" }, t("premises.all")),
    info.list.map((p) => h("option", { value: p.premises_id, selected: p.premises_id === chosen }, p.label)));
  return h("div", { class: "field premises-filter" }, h("label", { for: "premises-filter" }, t("premises.filter")), select);
}
/** @param {string} text @param {string} [kind] */
function badge(text, kind) { return h("span", { class: "badge" + (kind ? " " + kind : "") }, text); }

/** @param {HTMLFormElement} form @returns {Record<string, any>} */
function formData(form) {
  /** @type {Record<string, any>} */
  const out = {};
  new FormData(form).forEach((v, k) => { out[k] = typeof v === "string" ? v.trim() : v; });
  return out;
}


export { h, fmt, field, showErrors, checkForm, formData, table, appendRows, badge, confirmAction as confirm,
  premisesInfo, premisesSelect };
