/* Local stack only: what the embedded AWS "sent" (e-mails with attachments, SMS). */
import * as UI from "./components.js";
import { t, page, addMessages, api } from "./app.js";
import { h, fmt } from "./components.js";
  addMessages({
    "outbox.title": ["Skrzynka nadawcza (tylko lokalnie)", "Outbox (local stack only)"],
    "outbox.emails": ["E-maile", "E-mails"],
    "outbox.sms": ["SMS", "SMS"],
    "outbox.none": ["Nic nie wysłano.", "Nothing sent yet."],
    "outbox.unavailable": ["Skrzynka jest dostępna tylko w lokalnym środowisku (make run).", "The outbox exists only in the local stack (make run)."],
    "outbox.to": ["Do", "To"],
    "outbox.attachments": ["Załączniki", "Attachments"],
    "outbox.phone": ["Telefon", "Phone"],
    "outbox.message": ["Treść", "Message"],
    "outbox.length": ["Znaki", "Characters"],
  });
  page({ id: "outbox", path: "#/dev/outbox", nav: null, auth: false, order: 99, async render(el) {
    el.append(h("h1", {}, t("outbox.title")));
    let data;
    try { data = (await api("GET", "/dev/outbox")).data; }
    catch (e) { el.append(h("p", {}, t("outbox.unavailable"))); return; }
    el.append(h("h2", {}, t("outbox.emails") + ` (${data.emails.length})`));
    if (!data.emails.length) el.append(h("p", {}, t("outbox.none")));
    for (const m of data.emails) {
      el.append(h("article", { class: "card mail" },
        h("h3", {}, m.subject || "(no subject)"),
        h("p", { class: "muted" }, `${t("outbox.to")}: ${(m.to || []).join(", ")} · ${m.sent_at ? fmt.datetime(m.sent_at) : ""}`),
        h("pre", { class: "mail-body" }, m.text || ""),
        m.attachments && m.attachments.length ? h("p", {}, t("outbox.attachments") + ": ",
          m.attachments.map((/** @type {any} */ a) => h("a", { href: a.url, download: a.filename, class: "attachment" }, a.filename + " "))) : null));
    }
    el.append(h("h2", {}, t("outbox.sms") + ` (${data.sms.length})`));
    if (!data.sms.length) el.append(h("p", {}, t("outbox.none")));
    else el.append(UI.table([t("outbox.phone"), t("outbox.message"), { label: t("outbox.length"), num: true }],
      data.sms.map((/** @type {any} */ s) => [s.phone, s.message, String((s.message || "").length)]), { id: "outbox-sms" }));
  } });
