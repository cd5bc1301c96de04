/* Admin: bank statements (camt.053 upload) and the suspense list of unmatched credits. */
import * as EBOK from "./app.js";
import * as UI from "./components.js";
import { t, page, addMessages, api, flash } from "./app.js";
import { h, fmt } from "./components.js";
  addMessages({
    "susp.title": ["Wyciągi bankowe i wpłaty nierozpoznane", "Bank statements and unmatched credits"],
    "susp.upload": ["Wczytaj wyciąg camt.053", "Upload a camt.053 statement"],
    "susp.file": ["Plik XML wyciągu", "Statement XML file"],
    "susp.send": ["Wczytaj", "Upload"],
    "susp.result": ["Wyciąg {id}: zaksięgowano {booked}, do wyjaśnienia {suspense}, powtórzone {duplicates}, pominięte {skipped}.",
      "Statement {id}: booked {booked}, to resolve {suspense}, repeated {duplicates}, skipped {skipped}."],
    "susp.list": ["Wpłaty do wyjaśnienia", "Credits to resolve"],
    "susp.empty": ["Brak nierozpoznanych wpłat.", "No unmatched credits."],
    "susp.ref": ["Referencja banku", "Bank reference"],
    "susp.date": ["Data", "Date"],
    "susp.amount": ["Kwota", "Amount"],
    "susp.payer": ["Zleceniodawca", "Payer"],
    "susp.title_col": ["Tytuł", "Title"],
    "susp.account": ["Rachunek", "Account"],
    "susp.customer": ["Numer klienta", "Customer number"],
    "susp.book": ["Zaksięguj", "Book"],
    "susp.return": ["Zwróć", "Return"],
    "susp.booked": ["Wpłata zaksięgowana na koncie {customer}.", "Credit booked on account {customer}."],
    "susp.book_confirm": ["Zaksięgować wpłatę {what} na koncie klienta {customer}? Księgowania nie można cofnąć.",
      "Book the credit {what} on customer account {customer}? A booking cannot be undone."],
    "susp.return_confirm": ["Oznaczyć wpłatę {what} do zwrotu zleceniodawcy? Tego nie można cofnąć.",
      "Mark the credit {what} to be returned to the payer? This cannot be undone."],
    "susp.returned": ["Wpłata oznaczona do zwrotu.", "Credit marked as returned."],
    "susp.recent": ["Ostatnie wyciągi", "Recent statements"],
    "susp.imports": ["Wczytań", "Imports"],
    "susp.more": ["Pokaż więcej", "Show more"],
    "susp.statement": ["Wyciąg", "Statement"],
    "susp.imported": ["Wczytano", "Imported"],
    "susp.col.booked": ["Zaksięgowane", "Booked"],
    "susp.col.suspense": ["Do wyjaśnienia", "To resolve"],
    "susp.col.duplicates": ["Powtórzone", "Repeated"],
    "susp.reason": ["Powód", "Reason"],
    "susp.waiting": ["Wpłata powyżej progu: czeka na zatwierdzenie przez drugą osobę.", "A credit above the threshold: it waits for a second person's approval."],
    "susp.requests": ["Do zatwierdzenia (zasada dwóch par oczu)", "Waiting for approval (four eyes)"],
    "susp.asked": ["Wnioskuje", "Requested by"],
    "susp.target": ["Na konto", "To account"],
    "susp.approve": ["Zatwierdź", "Approve"],
    "susp.reject": ["Odrzuć", "Reject"],
    "susp.approve_confirm": ["Zatwierdzić zaksięgowanie wpłaty {what} na koncie klienta {customer}? Księgowania nie można cofnąć.",
      "Approve booking the credit {what} on customer account {customer}? A booking cannot be undone."],
    "susp.reject_confirm": ["Odrzucić wniosek o zaksięgowanie wpłaty {what}? Wpłata zostanie na liście do wyjaśnienia.",
      "Reject the request to book the credit {what}? The credit stays on the list to resolve."],
    "susp.approved": ["Zatwierdzono: wpłata zaksięgowana na koncie {customer}.", "Approved: the credit is booked on account {customer}."],
    "susp.rejected": ["Wniosek odrzucony.", "Request rejected."],
    "susp.reason_needed": ["Podaj powód odrzucenia.", "Give the reason for rejecting."],
    "susp.decision": ["Decyzja", "Decision"],
  });

  /** @param {HTMLElement} el */
  async function render(el) {
    el.append(h("h1", {}, t("susp.title")));
    const upload = h("form", { id: "statement-form" },
      h("h2", {}, t("susp.upload")),
      UI.field("content", t("susp.file"), { type: "file", accept: ".xml,application/xml,text/xml" }),
      h("button", { type: "submit" }, t("susp.send")));
    upload.addEventListener("submit", async (/** @type {any} */ ev) => {
      ev.preventDefault();
      const file = upload.querySelector("input[type=file]").files[0];
      if (!file) return;
      try {
        const { data } = await api("POST", "/admin/statements", { file_name: file.name.replace(/[^\w.() -]/g, "_"), content: await file.text() });
        await EBOK.render();
        flash(t("susp.result", { id: data.statement_id, booked: data.booked, suspense: data.suspense, duplicates: data.duplicates, skipped: data.skipped }), "ok");
      } catch (e) { UI.showErrors(upload, e); }
    });
    el.append(upload);

    const { data } = await api("GET", "/admin/suspense");
    el.append(h("h2", {}, t("susp.list")));
    // One row of the suspense list (also for the rows "show more" appends).
    /** @param {any} e */
    const entryRow = (e) => {
      const money = fmt.money(e.amount_grosze, e.currency);
      const input = h("input", { type: "text", inputmode: "numeric", size: 10, "aria-label": t("susp.customer") + " " + e.ref });
      /* above the four-eyes threshold: a reason for the second administrator */
      const reason = e.needs_approval ? h("input", { type: "text", size: 14, maxlength: 200, name: "note", placeholder: t("susp.reason"), "aria-label": t("susp.reason") + " " + e.ref }) : null;
      /** @param {any} body */
      const resolve = async (body) => {
        const what = e.ref + ", " + money;
        const question = body.action === "book" ? t("susp.book_confirm", { what, customer: body.customer_no }) : t("susp.return_confirm", { what });
        if ((body.action !== "book" || body.customer_no) && !(await UI.confirm(question, body.action === "book" ? t("susp.book") : t("susp.return")))) return;
        try {
          const { data: done } = await api("POST", "/admin/suspense/" + encodeURIComponent(e.ref), { ...body, ...(reason && reason.value.trim() ? { note: reason.value.trim() } : {}) });
          await EBOK.render();  /* re-render first: it clears the page, flash included */
          flash(done.request ? t("susp.waiting") : body.action === "book" ? t("susp.booked", { customer: body.customer_no }) : t("susp.returned"), "ok");
        } catch (/** @type {any} */ err) { flash(err.message, "error"); }
      };
      return { attrs: { "data-ref": e.ref }, cells: [
        e.ref, fmt.date(e.booking_date), money,
        h("span", {}, e.debtor_name || "—", h("br"), h("small", { class: "muted" }, t("susp.account") + ": " + (e.account || "—"))),
        e.title || "—",
        h("div", { class: "inline-actions" }, input, reason,
          h("button", { type: "button", onclick: () => resolve({ action: "book", customer_no: input.value.trim() }) }, t("susp.book")),
          h("button", { type: "button", class: "secondary", onclick: () => resolve({ action: "return" }) }, t("susp.return")))] };
    };
    const list = UI.table(
      [{ label: t("susp.ref"), key: true }, t("susp.date"), { label: t("susp.amount"), num: true }, t("susp.payer"), t("susp.title_col"), t("susp.customer")],
      data.entries.map(entryRow), { id: "suspense" });
    if (!data.entries.length) el.append(h("p", {}, t("susp.empty")));
    else el.append(list);
    // "Pokaż więcej / Show more": the next page (the answer's `next` cursor) appended.
    let cursor = data.next;
    if (cursor) {
      const more = h("button", { type: "button", class: "secondary", id: "suspense-more" }, t("susp.more"));
      more.addEventListener("click", async () => {
        more.disabled = true;
        const next = (await api("GET", "/admin/suspense?cursor=" + encodeURIComponent(cursor))).data;
        UI.appendRows(list, next.entries.map(entryRow));
        cursor = next.next;
        if (cursor) more.disabled = false; else more.remove();
      });
      el.append(h("p", {}, more));
    }

    await renderRequests(el);

    const { data: st } = await api("GET", "/admin/statements");
    if (st.statements.length) {
      el.append(h("h2", {}, t("susp.recent")), UI.table(
        [{ label: t("susp.statement"), key: true }, t("susp.imported"), { label: t("susp.col.booked"), num: true }, { label: t("susp.col.suspense"), num: true },
          { label: t("susp.col.duplicates"), num: true }, { label: t("susp.imports"), num: true }],
        st.statements.map((/** @type {any} */ s) => [s.statement_id, fmt.datetime(s.imported_at), s.booked, s.suspense, s.duplicates, s.imports])));
    }
  }

  /* Four-eyes: credits above the threshold that another administrator asked to book. */
  /** @param {HTMLElement} el */
  async function renderRequests(el) {
    const { data } = await api("GET", "/admin/suspense-requests");
    if (!data.requests.length) return;
    /** @param {any} r */
    const row = (r) => {
      const what = r.ref + ", " + fmt.money(r.amount_grosze, r.currency);
      const why = h("input", { type: "text", size: 14, maxlength: 200, placeholder: t("susp.reason"), "aria-label": t("susp.reason") + " " + r.ref });
      /** @param {string} verb */
      const decide = async (verb) => {
        const question = verb === "approve" ? t("susp.approve_confirm", { what, customer: r.customer_no }) : t("susp.reject_confirm", { what });
        if (verb === "reject" && !why.value.trim()) { why.focus(); flash(t("susp.reason_needed"), "error"); return; }
        if (!(await UI.confirm(question, t("susp." + verb)))) return;
        try {
          const path = "/admin/suspense/" + encodeURIComponent(r.ref) + "/requests/" + encodeURIComponent(r.request_id) + "/" + verb;
          await api("POST", path, verb === "reject" ? { reason: why.value.trim() } : {});
          await EBOK.render();
          flash(verb === "approve" ? t("susp.approved", { customer: r.customer_no }) : t("susp.rejected"), "ok");
        } catch (/** @type {any} */ err) { flash(err.message, "error"); }
      };
      return { attrs: { "data-request": r.request_id, "data-ref": r.ref }, cells: [
        h("span", {}, r.requested_by, h("br"), h("small", { class: "muted" }, fmt.datetime(r.requested_at))),
        fmt.money(r.amount_grosze, r.currency), r.customer_no + " (" + r.ref + ")", r.reason,
        h("div", { class: "inline-actions" }, why,
          h("button", { type: "button", class: "approve", onclick: () => decide("approve") }, t("susp.approve")),
          h("button", { type: "button", class: "secondary reject", onclick: () => decide("reject") }, t("susp.reject")))] };
    };
    el.append(h("h2", {}, t("susp.requests")), UI.table(
      [{ label: t("susp.asked"), key: true }, { label: t("susp.amount"), num: true }, t("susp.target"), t("susp.reason"), t("susp.decision")],
      data.requests.map(row), { id: "suspense-requests" }));
  }

  page({ id: "suspense", path: "#/admin/suspense", nav: ["Wyciągi bankowe", "Bank statements"], auth: true, roles: ["admin"], order: 80, render });
