/* One way to write numbers and dates (issue 16): every page formats through fmt (made in
   i18n.js, exported by components.js) for the chosen language. Polish: 7 353,10 zł,
   01.12.2026, 01.12.2026 08:00; English: PLN 7,353.10, 01/12/2026, 01/12/2026 08:00. pl-PL
   leaves four-digit numbers ungrouped ("7353,10") by CLDR's minimum grouping; the PDFs and
   e-mails group them, so the screen does too. An ES module: i18n.js imports it for the pages, node's test runner for
   tests/js/format.test.mjs; type-checked strictly with tsc --checkJs. */
// @ts-check

  /** @typedef {"pl" | "en"} Lang */
  /** @typedef {string | number | null | undefined} Amount */

  const UNITS = /** @type {Record<string, string>} */ ({
    "zł": "PLN", "mc": "month", "m-c": "month", "mies.": "month", "rok": "year", "szt.": "pcs", "dzień": "day",
  });

  /** Digits after the decimal point of a published decimal ("0.5800" -> 4).
   * @param {string | number} value */
  function decimalsOf(value) {
    const text = String(value);
    const dot = text.indexOf(".");
    return dot < 0 ? 0 : text.length - dot - 1;
  }

  /** Formatters for the language `getLang()` answers at the time of each call.
   * @param {() => Lang} getLang */
  function createFormat(getLang) {
    /** @type {Record<string, Intl.NumberFormat>} */
    const cache = {};
    const en = () => getLang() === "en";
    function locale() { return en() ? "en-GB" : "pl-PL"; }
    /** @param {string} key @param {Intl.NumberFormatOptions} options */
    function numberFormat(key, options) {
      const k = locale() + "|" + key;
      if (!cache[k]) {
        try { cache[k] = new Intl.NumberFormat(locale(), /** @type {Intl.NumberFormatOptions} */ (Object.assign({ useGrouping: "always" }, options))); }
        catch (e) { cache[k] = new Intl.NumberFormat(locale(), options); }
      }
      return cache[k];
    }
    /** @param {Amount} v */
    const missing = (v) => v === null || v === undefined || v === "";

    /** The parts of an ISO date or instant in Warsaw time (a bare date is that day).
     * @param {string} iso @returns {Record<string, string>} */
    function parts(iso) {
      const d = iso.length <= 10 ? new Date(iso + "T12:00:00Z") : new Date(iso);
      const list = new Intl.DateTimeFormat("en-GB", { timeZone: "Europe/Warsaw", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(d);
      return Object.fromEntries(list.map((p) => [p.type, p.value]));
    }
    /** 01.12.2026 (pl) / 01/12/2026 (en), in Warsaw time.
     * @param {string | null | undefined} iso */
    function date(iso) {
      if (!iso) return "—";
      const v = parts(iso);
      return en() ? `${v.day}/${v.month}/${v.year}` : `${v.day}.${v.month}.${v.year}`;
    }

    return {
      locale,
      /** Grosze (integer) as money: "7 353,10 zł" / "PLN 7,353.10"; another currency by its
       * code ("1 200,00 EUR" / "EUR 1,200.00").
       * @param {Amount} grosze @param {string} [currency] */
      money(grosze, currency) {
        if (missing(grosze)) return "—";
        const code = currency || "PLN";
        return numberFormat("money" + code, { style: "currency", currency: code, currencyDisplay: en() || code !== "PLN" ? "code" : "symbol" }).format(Number(grosze) / 100);
      },
      /** A published price (a decimal string such as "0.5800" or "5.50") with the precision it
       * was published with (at least 2 decimals, at most 6): "5,50 zł", "0,5800 zł".
       * @param {Amount} value @param {number} [digits] */
      price(value, digits) {
        if (missing(value)) return "—";
        const d = Math.min(6, Math.max(2, digits === undefined ? decimalsOf(/** @type {string | number} */ (value)) : digits));
        return numberFormat("price" + d, { style: "currency", currency: "PLN", currencyDisplay: en() ? "code" : "symbol", minimumFractionDigits: d, maximumFractionDigits: d }).format(Number(value));
      },
      decimals: decimalsOf,
      /** A unit as published in Polish ("zł/MW/mc") in the chosen language ("PLN/MW/month").
       * @param {string | null | undefined} text */
      unit(text) {
        if (!text || !en()) return text || "";
        return String(text).split("/").map((part) => UNITS[part.trim()] || part).join("/");
      },
      /** A quantity with at most `digits` decimals (3 unless given).
       * @param {Amount} value @param {number} [digits] */
      number(value, digits) {
        if (missing(value)) return "—";
        const d = digits === undefined ? 3 : digits;
        return numberFormat("n" + d, { maximumFractionDigits: d }).format(Number(value));
      },
      parts,
      date,
      /** 01.12.2026 08:00 (pl) / 01/12/2026 08:00 (en), in Warsaw time.
       * @param {string | null | undefined} iso */
      datetime(iso) {
        if (!iso) return "—";
        const v = parts(iso);
        return date(iso) + " " + v.hour + ":" + v.minute;
      },
      /** "2026-11" as "11.2026" / "11/2026".
       * @param {string | null | undefined} ym */
      period(ym) {
        if (!ym) return "—";
        const [y, m] = String(ym).split("-");
        return m ? (en() ? `${m}/${y}` : `${m}.${y}`) : ym;
      },
    };
  }

export { createFormat, decimalsOf };
