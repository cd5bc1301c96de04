/* Powiadomienia i zgody: which notices a customer gets and how (topics x channels), in which
   language, the due-date reminder lead time, the high-bill threshold and the addresses
   watched for outages. Mandatory notices are listed with the reason they cannot be off. */
import * as EBOK from "./app.js";
import * as UI from "./components.js";
import { t, page, addMessages, api } from "./app.js";
import { h, fmt } from "./components.js";
  addMessages({
    "prefs.title": ["Powiadomienia i zgody", "Notifications and consents"],
    "prefs.lead": ["Wybierz, o czym i jak mamy Cię informować.", "Choose what we tell you about and how."],
    "prefs.topic": ["Temat", "Topic"],
    "prefs.email": ["E-mail", "E-mail"],
    "prefs.sms": ["SMS", "SMS"],
    "prefs.sms_unavailable": ["SMS-y wysyłamy tylko na numer komórkowy potwierdzony kodem. Podaj go w sekcji „Numer do SMS-ów”.",
      "SMS messages go only to a mobile number confirmed with a code. Give it under “Number for SMS”."],
    "prefs.mobile.title": ["Numer do SMS-ów", "Number for SMS"],
    "prefs.mobile.lead": ["Wyślemy SMS z 6-cyfrowym kodem. Kod jest ważny 10 minut.", "We will send an SMS with a 6-digit code. The code is valid for 10 minutes."],
    "prefs.mobile.phone": ["Numer telefonu komórkowego", "Mobile number"],
    "prefs.mobile.send": ["Wyślij kod", "Send the code"],
    "prefs.mobile.sent": ["Kod wysłany SMS-em na numer {phone}.", "The code was sent by SMS to {phone}."],
    "prefs.mobile.code": ["Kod z SMS-a", "Code from the SMS"],
    "prefs.mobile.confirm": ["Potwierdź numer", "Confirm the number"],
    "prefs.mobile.verified": ["SMS-y wysyłamy na numer {phone} (potwierdzony).", "SMS messages go to {phone} (confirmed)."],
    "prefs.mobile.confirmed": ["Numer potwierdzony. Możesz teraz wybrać SMS-y.", "Number confirmed. You can now choose SMS."],
    "prefs.mobile.remove": ["Usuń numer", "Remove the number"],
    "prefs.mobile.removed": ["Numer usunięty. Nie wyślemy już SMS-ów.", "Number removed. We will send no more SMS."],
    "prefs.topic.invoice_new": ["Nowa faktura", "New invoice"],
    "prefs.topic.due_reminder": ["Przypomnienie o terminie płatności", "Due-date reminder"],
    "prefs.topic.payment_booked": ["Zaksięgowana wpłata i nadpłata", "Payment booked and overpayment"],
    "prefs.topic.high_bill": ["Alert wysokiego rachunku", "High-bill alert"],
    "prefs.topic.outage": ["Awarie i planowane wyłączenia (e-mail)", "Failures and planned outages (e-mail)"],
    "prefs.topic.contract_expiry": ["Koniec umowy", "Contract expiry"],
    "prefs.topic.document_new": ["Nowy dokument lub raport", "New document or report"],
    "prefs.topic.message_new": ["Nowa wiadomość", "New message"],
    "prefs.mandatory": ["Powiadomienia obowiązkowe", "Mandatory notices"],
    "prefs.mandatory_why": ["Przypomnień o zaległościach, wezwań do zapłaty i zawiadomień prawnych nie można wyłączyć: wymagają ich przepisy i umowa.",
      "Arrears reminders, demands for payment and legal notices cannot be switched off: the law and your contract require them."],
    "prefs.language": ["Język wiadomości", "Language of messages"],
    "prefs.reminder_days": ["Przypomnienie na ile dni przed terminem", "Reminder, days before the due date"],
    "prefs.high_bill_percent": ["Alert, gdy faktura jest wyższa o (%) niż rok temu", "Alert when an invoice is higher by (%) than last year"],
    "prefs.high_bill_amount": ["Alert, gdy faktura przekracza (zł)", "Alert when an invoice exceeds (PLN)"],
    "prefs.outage_addresses": ["Adresy obserwowane (awarie)", "Watched addresses (outages)"],
    "prefs.outage_lead": ["Wyślemy e-mail o awarii lub planowanym wyłączeniu pod tymi adresami (w każdej obsługiwanej miejscowości). Bez numeru budynku: cała ulica.",
      "We e-mail you about failures and planned outages at these addresses (in any city we serve). Without a building number: the whole street."],
    "prefs.outage_none": ["Nie obserwujesz żadnego adresu.", "You watch no address."],
    "prefs.outage_city": ["Miejscowość", "City"],
    "prefs.outage_street": ["Ulica", "Street"],
    "prefs.outage_building": ["Numer budynku (opcjonalnie)", "Building number (optional)"],
    "prefs.outage_add": ["Dodaj adres", "Add the address"],
    "prefs.outage_remove": ["Usuń", "Remove"],
    "prefs.save": ["Zapisz ustawienia", "Save settings"],
    "prefs.saved": ["Ustawienia zapisane.", "Settings saved."],
    "consents.title": ["Zgody", "Consents"],
    "consents.lead": ["Każdą zgodę wyrażasz osobno i możesz ją wycofać w każdej chwili tak samo łatwo, jak ją wyrażono.",
      "Each consent is given separately and can be withdrawn at any time as easily as it was given."],
    "consents.kind.einvoice": ["Faktura elektroniczna (e-faktura)", "Electronic invoice (e-invoice)"],
    "consents.kind.correspondence": ["Korespondencja elektroniczna", "Electronic correspondence"],
    "consents.kind.marketing_email": ["Informacje handlowe e-mailem", "Marketing by e-mail"],
    "consents.kind.marketing_sms": ["Informacje handlowe SMS-em", "Marketing by SMS"],
    "consents.kind.marketing_phone": ["Marketing telefoniczny", "Marketing by phone"],
    "consents.given": ["Zgoda wyrażona", "Consent given"],
    "consents.version": ["wersja klauzuli", "clause version"],
    "consents.changed": ["Zmiana zapisana.", "Change recorded."],
    "consents.history": ["Historia zgód", "History of consents"],
    "consents.none": ["Brak zmian.", "No changes yet."],
    "consents.when": ["Kiedy", "When"],
    "consents.what": ["Zgoda", "Consent"],
    "consents.value": ["Zmiana", "Change"],
    "consents.on": ["wyrażona", "given"],
    "consents.off": ["wycofana", "withdrawn"],
    "consents.who": ["Kto", "Who"],
    "consents.channel": ["Kanał", "Channel"],
    "consents.you": ["Ty", "You"],
    "consents.staff": ["pracownik", "staff"],
    "consents.registration": ["przy rejestracji", "at registration"],
    "consents.ch.portal": ["portal", "portal"],
    "consents.ch.phone": ["telefon", "phone"],
    "consents.ch.paper": ["formularz papierowy", "paper form"],
    "consents.ch.unknown": ["nie zapisano", "not recorded"],
    "consents.suppressed": ["Wiadomości na Twój adres e-mail nie są doręczane. Podaj nowy adres opiekunowi klienta.",
      "Messages to your e-mail address are not delivered. Give your account manager a new address."],
  });

  /** @param {any} entry */
  function who(entry) {
    if (entry.by_role === "registration") return t("consents.registration");
    return entry.staff ? `${t("consents.staff")} (${entry.by})` : t("consents.you");
  }

  /* The consents and their history; each box is one consent, never pre-ticked. Staff views
     reuse it (consentsSection, exported) with a channel chooser. */
  /** @param {string} customerNo @param {boolean} staff */
  async function consentsSection(customerNo, staff) {
    const url = `/customers/${encodeURIComponent(customerNo)}/consents`;
    const { data } = await api("GET", url);
    const box = h("section", { id: "consents", "aria-labelledby": "consents-title" },
      h("h2", { id: "consents-title" }, t("consents.title")), h("p", {}, t("consents.lead")));
    if (data.email_suppressed) box.append(h("p", { class: "notice warn", id: "consents-suppressed" }, t("consents.suppressed")));
    const channel = staff ? h("select", { id: "consent-channel", "aria-label": t("consents.channel") },
      ...["phone", "paper", "portal"].map((c) => h("option", { value: c }, t("consents.ch." + c)))) : null;
    if (channel) box.append(h("label", { class: "field" }, h("span", {}, t("consents.channel")), channel));
    data.consents.forEach((/** @type {any} */ c) => {
      const input = h("input", { type: "checkbox", id: "consent-" + c.kind, name: c.kind, ...(c.granted ? { checked: "" } : {}) });
      input.addEventListener("change", async () => {
        input.disabled = true;
        /** @type {Json} */
        const body = { kind: c.kind, granted: input.checked, version: data.version };
        if (input.checked) body.clause_version = c.clause_version;
        if (channel) body.channel = channel.value;
        try {
          await api("POST", url, body);
          EBOK.flash(t("consents.changed"), "ok");
          box.replaceWith(await consentsSection(customerNo, staff));
        } catch (/** @type {any} */ err) { input.checked = !input.checked; input.disabled = false; EBOK.flash(err.message, "error"); }
      });
      box.append(h("div", { class: "consent" },
        h("label", { for: "consent-" + c.kind }, input, " ", h("strong", {}, t("consents.kind." + c.kind))),
        h("p", { class: "muted" }, c.clause, " (", t("consents.version"), " ", c.clause_version, ")")));
    });
    box.append(h("h3", {}, t("consents.history")));
    box.append(data.history.length ? UI.table(
      [t("consents.when"), t("consents.what"), t("consents.value"), t("consents.who"), t("consents.channel"), t("consents.version")],
      data.history.map((/** @type {any} */ e) => [fmt.datetime(e.at), t("consents.kind." + e.kind), t(e.granted ? "consents.on" : "consents.off"), who(e),
        t("consents.ch." + e.channel), e.clause_version || "—"]), { class: "consents-history" }) : h("p", { class: "muted" }, t("consents.none")));
    return box;
  }
  export { consentsSection };

  /* The number SMS go to: confirmed with a code sent by SMS (request, then confirm). */
  /** @param {string} customerNo @param {any} data */
  function mobileSection(customerNo, data) {
    const url = `/customers/${encodeURIComponent(customerNo)}/preferences/mobile`;
    const box = h("section", { id: "mobile", "aria-labelledby": "mobile-title" }, h("h2", { id: "mobile-title" }, t("prefs.mobile.title")));
    /** @param {string} message */
    const done = async (message) => { await EBOK.render(); EBOK.flash(message, "ok"); };
    if (data.sms_number) {
      const remove = h("button", { type: "button", id: "mobile-remove" }, t("prefs.mobile.remove"));
      remove.addEventListener("click", async () => {
        remove.disabled = true;
        try { await api("DELETE", url); await done(t("prefs.mobile.removed")); }
        catch (/** @type {any} */ err) { remove.disabled = false; EBOK.flash(err.message, "error"); }
      });
      box.append(h("p", { id: "mobile-verified" }, t("prefs.mobile.verified", { phone: data.sms_number })), remove);
      return box;
    }
    const phone = h("input", { type: "tel", name: "phone", id: "f-phone", autocomplete: "tel", required: "", value: data.sms_pending || "" });
    const ask = h("form", { id: "mobile-form", novalidate: "" }, h("p", { class: "muted" }, t("prefs.mobile.lead")),
      h("label", { class: "field" }, h("span", {}, t("prefs.mobile.phone")), phone), h("p", { class: "field-error", id: "f-phone-error" }),
      h("button", { type: "submit" }, t("prefs.mobile.send")));
    ask.addEventListener("submit", async (/** @type {any} */ ev) => {
      ev.preventDefault();
      try {
        const { data: sent } = await api("POST", url, { phone: phone.value });
        await done(t("prefs.mobile.sent", { phone: sent.phone }));
      } catch (err) { UI.showErrors(ask, err); }
    });
    box.append(ask);
    if (data.sms_pending) {
      const code = h("input", { type: "text", name: "code", id: "f-code", inputmode: "numeric", autocomplete: "one-time-code", maxlength: "6", pattern: "[0-9]{6}", required: "" });
      const confirm = h("form", { id: "mobile-confirm", novalidate: "" },
        h("p", {}, t("prefs.mobile.sent", { phone: data.sms_pending })),
        h("label", { class: "field" }, h("span", {}, t("prefs.mobile.code")), code), h("p", { class: "field-error", id: "f-code-error" }),
        h("button", { type: "submit", class: "primary" }, t("prefs.mobile.confirm")));
      confirm.addEventListener("submit", async (/** @type {any} */ ev) => {
        ev.preventDefault();
        try { await api("POST", `${url}/confirm`, { code: code.value.trim() }); await done(t("prefs.mobile.confirmed")); }
        catch (err) { UI.showErrors(confirm, err); }
      });
      box.append(confirm);
    }
    return box;
  }

  /** @param {any} v */
  const num = (v) => (v === "" || v === null || v === undefined ? null : Number(v));

  /* Addresses watched for outage e-mails: each added or removed at once (its own route). */
  /** @param {string} customerNo @param {any[]} list */
  function watchSection(customerNo, list) {
    const url = `/customers/${encodeURIComponent(customerNo)}/preferences/outage-addresses`;
    const box = h("section", { id: "watched", "aria-labelledby": "watched-title" }, h("h2", { id: "watched-title" }, t("prefs.outage_addresses")), h("p", { class: "muted" }, t("prefs.outage_lead")));
    /** @param {Function} fn */
    const act = async (fn) => { try { await fn(); await EBOK.render(); } catch (/** @type {any} */ err) { EBOK.flash(err.message, "error"); } };
    box.append(list.length ? h("ul", { id: "watched-list" }, ...list.map((/** @type {any} */ a) => {
      const del = h("button", { type: "button", class: "link", "data-watch": a.watch_id }, t("prefs.outage_remove"));
      del.addEventListener("click", () => act(() => api("DELETE", `${url}/${encodeURIComponent(a.watch_id)}`)));
      return h("li", {}, `${a.street} ${a.building}`.trim() + ", " + a.city + " ", del);
    })) : h("p", { class: "muted" }, t("prefs.outage_none")));
    /** @param {string} name @param {string} key @param {Record<string, string>} extra */
    const f = (name, key, extra) => h("label", { class: "field" }, h("span", {}, t(key)), h("input", { name, id: "f-" + name, ...extra }), h("p", { class: "field-error", id: `f-${name}-error` }));
    const form = h("form", { id: "watch-form", novalidate: "" }, f("city", "prefs.outage_city", { required: "", value: "Wrocław" }), f("street", "prefs.outage_street", { required: "" }),
      f("building", "prefs.outage_building", {}), h("button", { type: "submit" }, t("prefs.outage_add")));
    form.addEventListener("submit", async (/** @type {any} */ ev) => {
      ev.preventDefault();
      /** @param {string} n */
      const v = (n) => form.elements[n].value.trim();
      try { await api("POST", url, { city: v("city"), street: v("street"), building: v("building") }); await EBOK.render(); }
      catch (err) { UI.showErrors(form, err); }
    });
    box.append(form);
    return box;
  }

  page({ id: "preferences", path: "#/preferences", nav: ["Powiadomienia i zgody", "Notifications and consents"], auth: true, roles: ["customer", "building_manager"], order: 80, async render(el) {
    el.append(h("h1", {}, t("prefs.title")), h("p", { class: "lead" }, t("prefs.lead")));
    const customerNo = await EBOK.currentCustomer();
    if (!customerNo) return;
    const url = `/customers/${encodeURIComponent(customerNo)}/preferences`;
    const { data } = await api("GET", url);
    const form = h("form", { id: "preferences-form", novalidate: "" });
    const rows = data.topics.map((/** @type {any} */ topic) => h("tr", {},
      h("td", {}, t("prefs.topic." + topic.topic)),
      ...["email", "sms"].map((ch) => h("td", {}, topic.channels.includes(ch)
        ? h("input", { type: "checkbox", name: `${topic.topic}.${ch}`, "aria-label": t("prefs.topic." + topic.topic) + " — " + t("prefs." + ch), ...(topic.chosen.includes(ch) ? { checked: "" } : {}) })
        : "—"))));
    form.append(h("table", { class: "table" }, h("thead", {}, h("tr", {}, h("th", {}, t("prefs.topic")), h("th", {}, t("prefs.email")), h("th", {}, t("prefs.sms")))), h("tbody", {}, ...rows)));
    if (!data.sms_available) form.append(h("p", { class: "muted" }, t("prefs.sms_unavailable")));
    const lang = h("select", { name: "language", id: "pref-language" }, ...["pl", "en"].map((l) => h("option", { value: l, ...(data.language === l ? { selected: "" } : {}) }, l === "pl" ? "polski" : "English")));
    const days = h("input", { type: "number", name: "reminder_days", min: "1", max: "14", value: String(data.reminder_days || 3) });
    const pct = h("input", { type: "number", name: "high_bill_percent", min: "5", max: "500", value: data.high_bill_percent ?? "" });
    const amt = h("input", { type: "number", name: "high_bill_amount", min: "1", step: "0.01", value: data.high_bill_amount ? (data.high_bill_amount / 100).toFixed(2) : "" });
    /** @param {string} text @param {HTMLInputElement} input */
    const label = (text, input) => h("label", { class: "field" }, h("span", {}, text), input);
    form.append(label(t("prefs.language"), lang), label(t("prefs.reminder_days"), days), label(t("prefs.high_bill_percent"), pct),
      label(t("prefs.high_bill_amount"), amt),
      h("button", { type: "submit", class: "primary" }, t("prefs.save")));
    el.append(form, watchSection(customerNo, data.outage_addresses || []), mobileSection(customerNo, data), h("h2", {}, t("prefs.mandatory")), h("p", {}, t("prefs.mandatory_why")), await consentsSection(customerNo, false));
    form.addEventListener("submit", async (/** @type {any} */ ev) => {
      ev.preventDefault();
      /** @type {Record<string, string[]>} */
      const channels = {};
      data.topics.forEach((/** @type {any} */ topic) => { channels[topic.topic] = topic.channels.filter((/** @type {any} */ ch) => form.elements[`${topic.topic}.${ch}`]?.checked); });
      const amount = num(amt.value);
      const body = { version: data.version, language: lang.value, channels, reminder_days: Number(days.value),
        high_bill_percent: num(pct.value), high_bill_amount: amount === null ? null : Math.round(amount * 100) };
      try {
        await api("PATCH", url, body);
        await EBOK.render();
        EBOK.flash(t("prefs.saved"), "ok");
      } catch (err) { UI.showErrors(form, err); }
    });
  } });
