/* Moje dane (RODO): the customer asks for an export of everything held (a ZIP, downloaded
   through a short-lived link after the e-mail says it is ready), for erasure or restriction
   (a case for an administrator), and sees who at the utility read the data and when.
   Staff: "Dane i zgody klientów": a customer's consents (recorded with the channel), the
   account manager's customers whose e-mail bounces, the suppression list, and (admins) the
   open erasure/restriction cases with what must be kept and until when. */
import * as EBOK from "./app.js";
import * as UI from "./components.js";
import { t, page, addMessages, api } from "./app.js";
import { h, fmt } from "./components.js";
import { consentsSection } from "./preferences.js";
  addMessages({
    "mydata.title": ["Moje dane", "My data"],
    "mydata.lead": ["Możesz pobrać wszystkie dane, które o Tobie przetwarzamy, poprosić o ich usunięcie albo ograniczenie przetwarzania.",
      "You can download all the data we hold about you, ask for it to be erased or for its processing to be restricted."],
    "mydata.export": ["Przygotuj eksport moich danych", "Prepare an export of my data"],
    "mydata.export_hint": ["Eksport (plik ZIP: JSON, CSV i faktury w PDF) przygotujemy w ciągu kilku minut. Wyślemy e-mail z informacją, że jest gotowy — same dane pobierzesz tylko tutaj, po zalogowaniu.",
      "We prepare the export (a ZIP file: JSON, CSV and invoice PDFs) within minutes and send an e-mail when it is ready — the data itself can only be downloaded here, after logging in."],
    "mydata.asked": ["Wniosek przyjęty.", "Request received."],
    "mydata.requests": ["Moje wnioski", "My requests"],
    "mydata.none": ["Brak wniosków.", "No requests."],
    "mydata.kind.export": ["Eksport danych", "Data export"],
    "mydata.kind.erasure": ["Usunięcie danych", "Erasure"],
    "mydata.kind.restriction": ["Ograniczenie przetwarzania", "Restriction of processing"],
    "mydata.status.queued": ["w kolejce", "queued"],
    "mydata.status.building": ["w przygotowaniu", "being prepared"],
    "mydata.status.ready": ["gotowy", "ready"],
    "mydata.status.mailed": ["gotowy", "ready"],
    "mydata.status.open": ["czeka na decyzję", "awaiting a decision"],
    "mydata.status.approved": ["zatwierdzony", "approved"],
    "mydata.status.done": ["wykonany", "done"],
    "mydata.status.rejected": ["odrzucony", "rejected"],
    "mydata.when": ["Złożony", "Filed"],
    "mydata.what": ["Wniosek", "Request"],
    "mydata.state": ["Stan", "State"],
    "mydata.until": ["Do pobrania do", "Available until"],
    "mydata.download": ["Pobierz ZIP", "Download ZIP"],
    "mydata.link": ["Pobierz plik (link ważny 5 minut)", "Download the file (link valid for 5 minutes)"],
    "mydata.erase_title": ["Usunięcie lub ograniczenie", "Erasure or restriction"],
    "mydata.erase_hint": ["Faktury i dokumenty księgowe musimy przechowywać przez 5 lat od końca roku, w którym powstał obowiązek podatkowy — dane potrzebne do nich usuniemy po tym terminie. Resztę usunie administrator po rozpatrzeniu wniosku.",
      "Invoices and accounting records must be kept for 5 years from the end of the year in which the tax obligation arose — the data they need is erased after that. An administrator erases the rest after deciding the request."],
    "mydata.note": ["Uzasadnienie (opcjonalnie)", "Reason (optional)"],
    "mydata.ask_erasure": ["Wnoszę o usunięcie danych", "Request erasure"],
    "mydata.ask_restriction": ["Wnoszę o ograniczenie przetwarzania", "Request restriction"],
    "mydata.confirm_erasure": ["Złożyć wniosek o usunięcie danych? Po jego zatwierdzeniu usuniemy Twój e-mail, telefon i ustawienia powiadomień.",
      "File a request for erasure? Once approved, your e-mail, phone and notification settings are erased."],
    "mydata.reads": ["Kto z naszej firmy przeglądał Twoje dane", "Who at our company looked at your data"],
    "mydata.reads_none": ["Nikt z pracowników nie przeglądał Twoich danych.", "No one on our staff has looked at your data."],
    "mydata.reads_who": ["Pracownik (login)", "Staff member (login)"],
    "mydata.reads_role": ["Rola", "Role"],
    "mydata.read_at": ["Kiedy", "When"],
    "role.account_manager": ["opiekun klienta", "account manager"],
    "role.admin": ["administrator", "administrator"],
    "role.operator": ["dyspozytor", "operator"],
    "desk.title": ["Dane i zgody klientów", "Customers' data and consents"],
    "desk.customer": ["Numer klienta", "Customer number"],
    "desk.show": ["Pokaż zgody", "Show consents"],
    "desk.flags": ["Adresy e-mail do zebrania na nowo", "E-mail addresses to collect again"],
    "desk.flags_lead": ["Na te adresy poczta nie dochodzi (trwały błąd doręczenia albo skarga). Poproś klienta o nowy adres.",
      "Mail does not reach these addresses (permanent bounce or complaint). Ask the customer for a new address."],
    "desk.flags_none": ["Brak klientów z niedoręczalnym adresem.", "No customers with an undeliverable address."],
    "desk.manager": ["Opiekun (id)", "Account manager (id)"],
    "desk.suppressions": ["Adresy wstrzymane (SES)", "Suppressed addresses (SES)"],
    "desk.reason.bounce": ["trwały błąd doręczenia", "permanent bounce"],
    "desk.reason.complaint": ["skarga odbiorcy", "complaint"],
    "desk.cases": ["Wnioski RODO do decyzji", "GDPR requests to decide"],
    "desk.cases_none": ["Brak otwartych wniosków.", "No open requests."],
    "desk.keep": ["Zachować", "Keep"],
    "desk.erase": ["Usunąć po zatwierdzeniu", "Erase once approved"],
    "desk.approve": ["Zatwierdź", "Approve"],
    "desk.reject": ["Odrzuć", "Reject"],
    "desk.decided": ["Decyzja zapisana.", "Decision recorded."],
    "desk.what.invoices": ["faktury", "invoices"],
    "desk.what.ledger": ["zapisy księgowe", "ledger entries"],
    "desk.what.payments": ["płatności", "payments"],
    "desk.what.contracts": ["umowy", "contracts"],
    "desk.what.profile": ["nazwa, adres, PESEL/NIP", "name, address, PESEL/NIP"],
    "desk.what.email": ["adres e-mail", "e-mail address"],
    "desk.what.phone": ["telefon", "phone"],
    "desk.what.preferences": ["ustawienia powiadomień", "notification settings"],
    "desk.what.marketing_consents": ["zgody marketingowe (wycofane)", "marketing consents (withdrawn)"],
    "desk.email": ["E-mail", "E-mail"],
    "desk.since": ["Od", "Since"],
  });

  async function customerNo() { return EBOK.currentCustomer ? EBOK.currentCustomer() : null; }

  /** @param {string} no @param {any[]} requests */
  function requestsTable(no, requests) {
    if (!requests.length) return h("p", { class: "muted" }, t("mydata.none"));
    return UI.table([t("mydata.when"), t("mydata.what"), t("mydata.state"), t("mydata.until"), ""],
      requests.map((r) => {
        const cell = h("span", {});
        if (r.downloadable) {
          const btn = h("button", { type: "button", class: "mydata-download", "data-request": r.request_id }, t("mydata.download"));
          btn.addEventListener("click", async () => {
            btn.disabled = true;
            try {
              const { data } = await api("GET", `/customers/${encodeURIComponent(no)}/privacy/requests/${encodeURIComponent(r.request_id)}/download`);
              cell.replaceChildren(h("a", { href: data.url, class: "mydata-link", download: data.filename, rel: "noopener" }, t("mydata.link")));
            } catch (/** @type {any} */ err) { btn.disabled = false; EBOK.flash(err.message, "error"); }
          });
          cell.append(btn);
        }
        return [fmt.datetime(r.created_at), t("mydata.kind." + r.kind), t("mydata.status." + r.status), r.available_until ? fmt.datetime(r.available_until) : "—", cell];
      }), { class: "mydata-requests" });
  }

  /** @param {string} no @param {string} kind @param {string} [note] */
  async function ask(no, kind, note) {
    await api("POST", `/customers/${encodeURIComponent(no)}/privacy/requests`, note ? { kind, note } : { kind });
    EBOK.flash(t("mydata.asked"), "ok");
    await EBOK.render();
  }

  page({ id: "mydata", path: "#/mydata", nav: ["Moje dane", "My data"], auth: true, roles: ["customer", "building_manager"], order: 85, async render(el) {
    el.append(h("h1", {}, t("mydata.title")), h("p", { class: "lead" }, t("mydata.lead")));
    const no = await customerNo();
    if (!no) return;
    const { data } = await api("GET", `/customers/${encodeURIComponent(no)}/privacy`);
    const exportBtn = h("button", { type: "button", class: "primary", id: "mydata-export" }, t("mydata.export"));
    exportBtn.addEventListener("click", async () => { exportBtn.disabled = true; try { await ask(no, "export"); } catch (/** @type {any} */ err) { exportBtn.disabled = false; EBOK.flash(err.message, "error"); } });
    el.append(h("p", {}, t("mydata.export_hint")), exportBtn, h("h2", {}, t("mydata.requests")), requestsTable(no, data.requests));
    const note = h("textarea", { id: "mydata-note", rows: "2", maxlength: "1000" });
    const erase = h("button", { type: "button", id: "mydata-erasure" }, t("mydata.ask_erasure"));
    const restrict = h("button", { type: "button", id: "mydata-restriction" }, t("mydata.ask_restriction"));
    erase.addEventListener("click", async () => {
      if (!(await UI.confirm(t("mydata.confirm_erasure")))) return;
      try { await ask(no, "erasure", note.value.trim()); } catch (/** @type {any} */ err) { EBOK.flash(err.message, "error"); }
    });
    restrict.addEventListener("click", async () => { try { await ask(no, "restriction", note.value.trim()); } catch (/** @type {any} */ err) { EBOK.flash(err.message, "error"); } });
    el.append(h("h2", {}, t("mydata.erase_title")), h("p", {}, t("mydata.erase_hint")),
      h("label", { class: "field" }, h("span", {}, t("mydata.note")), note), h("p", {}, erase, " ", restrict));
    el.append(h("h2", {}, t("mydata.reads")), data.staff_reads.length
      ? UI.table([t("mydata.read_at"), t("mydata.reads_who"), t("mydata.reads_role")],
        data.staff_reads.map((/** @type {any} */ r) => [fmt.datetime(r.at), r.username, t("role." + r.role)]), { class: "mydata-reads" })
      : h("p", { class: "muted" }, t("mydata.reads_none")));
  } });

  /* --- staff ------------------------------------------------------------------------- */

  /** @param {any} who */
  async function flagsSection(who) {
    const box = h("section", { id: "desk-flags" }, h("h2", {}, t("desk.flags")), h("p", {}, t("desk.flags_lead")));
    /** @type {string | null} */
    let managerId = null;
    if (who.role === "admin") {
      const input = h("input", { id: "desk-manager", value: "M1", size: "6", "aria-label": t("desk.manager") });
      const go = h("button", { type: "button" }, t("desk.show"));
      const out = h("div", {});
      go.addEventListener("click", async () => out.replaceChildren(await flagsTable(input.value.trim())));
      box.append(h("label", { class: "field" }, h("span", {}, t("desk.manager")), input), go, out);
      return box;
    }
    box.append(await flagsTable(managerId));
    return box;
  }

  /** @param {string | null} managerId */
  async function flagsTable(managerId) {
    const q = managerId ? `?manager_id=${encodeURIComponent(managerId)}` : "";
    const { data } = await api("GET", "/admin/address-flags" + q);
    if (!data.items.length) return h("p", { class: "muted" }, t("desk.flags_none"));
    return UI.table([t("desk.customer"), t("desk.email"), "", t("desk.since")], data.items.map((/** @type {any} */ f) => [
      `${f.customer_no} ${f.name}`, f.email, UI.badge(t("desk.reason." + f.reason), "warn"), fmt.datetime(f.at)]), { class: "desk-flags" });
  }

  async function suppressionsSection() {
    const { data } = await api("GET", "/admin/suppressions");
    return h("section", { id: "desk-suppressions" }, h("h2", {}, t("desk.suppressions")), data.items.length
      ? UI.table([t("desk.email"), "", t("desk.since")], data.items.map((/** @type {any} */ s) => [s.email, t("desk.reason." + s.reason), fmt.datetime(s.at)]))
      : h("p", { class: "muted" }, "—"));
  }

  /** @param {any} c */
  function keepText(c) {
    const keep = (c.keep || []).map((/** @type {any} */ k) => `${t("desk.what." + k.what)}${k.count ? " (" + k.count + ")" : ""} — ${fmt.date(k.until)}`).join("; ");
    const erase = (c.erase || []).map((/** @type {any} */ e) => t("desk.what." + e)).join(", ");
    return h("div", {}, h("p", {}, h("strong", {}, t("desk.keep") + ": "), keep || "—"), erase ? h("p", {}, h("strong", {}, t("desk.erase") + ": "), erase) : null);
  }

  async function casesSection() {
    const box = h("section", { id: "desk-cases" }, h("h2", {}, t("desk.cases")));
    const { data } = await api("GET", "/admin/privacy/cases");
    if (!data.items.length) { box.append(h("p", { class: "muted" }, t("desk.cases_none"))); return box; }
    for (const item of data.items) {
      const url = `/admin/privacy/cases/${encodeURIComponent(item.customer_no)}/${encodeURIComponent(item.request_id)}`;
      const { data: c } = await api("GET", url);
      /** @param {boolean} approve */
      const decide = (approve) => async () => {
        try { await api("POST", url + "/decision", { approve }); EBOK.flash(t("desk.decided"), "ok"); await EBOK.render(); }
        catch (/** @type {any} */ err) { EBOK.flash(err.message, "error"); }
      };
      const yes = h("button", { type: "button", class: "primary" }, t("desk.approve"));
      const no = h("button", { type: "button" }, t("desk.reject"));
      yes.addEventListener("click", decide(true)); no.addEventListener("click", decide(false));
      box.append(h("article", { class: "card desk-case" }, h("h3", {}, `${c.customer_no}: ${t("mydata.kind." + c.kind)} (${fmt.datetime(c.created_at)})`),
        c.note ? h("p", {}, c.note) : null, keepText(c), h("p", {}, yes, " ", no)));
    }
    return box;
  }

  page({ id: "privacy-desk", path: "#/privacy-desk", nav: ["Dane i zgody klientów", "Customers' data and consents"], auth: true, roles: ["account_manager", "admin"], order: 70, async render(el) {
    const who = await EBOK.auth.me();
    el.append(h("h1", {}, t("desk.title")));
    const input = h("input", { id: "desk-customer", inputmode: "numeric", size: "10", "aria-label": t("desk.customer") });
    const show = h("button", { type: "button", id: "desk-show" }, t("desk.show"));
    const out = h("div", { id: "desk-consents" });
    show.addEventListener("click", async () => {
      try { out.replaceChildren(await consentsSection(input.value.trim(), true)); }
      catch (/** @type {any} */ err) { EBOK.flash(err.message, "error"); }
    });
    el.append(h("p", {}, h("label", { class: "field" }, h("span", {}, t("desk.customer")), input), show), out);
    el.append(await flagsSection(who), await suppressionsSection());
    if (who && who.role === "admin") el.append(await casesSection());
  } });
