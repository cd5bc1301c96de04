/* eBOK portal i18n: the chosen language (Polish first; kept in localStorage), the message
   catalogue every module adds to (addMessages({key: [pl, en]})), the lookup t(key, params),
   and fmt (format.js) in the chosen language. The smallest shared module: the shell (app.js)
   and the components (components.js) both import it, and it imports only format.js, so
   there is no import cycle. Pages import t, addMessages and lang from app.js. */
import { createFormat } from "./format.js";

const LANG_KEY = "ebok.lang";
/** @typedef {[string, string]} Pair Polish and English */

/** @type {Record<string, Pair>} */
const messages = {};

/** The chosen language, "pl" or "en" (a live binding: importers always read the current one):
 * the one stored in the browser, else the browser's own. @type {string} */
let lang = localStorage.getItem(LANG_KEY) || ((navigator.language || "pl").toLowerCase().startsWith("en") ? "en" : "pl");

/** Choose the language and remember it for the next visit. @param {string} next */
function setLang(next) {
  lang = next;
  localStorage.setItem(LANG_KEY, lang);
}

/** The text of a message key in the chosen language, with {name} placeholders filled.
 * @param {string} key @param {Record<string, unknown>} [params] */
function t(key, params) {
  const pair = messages[key];
  let text = pair ? (lang === "en" ? pair[1] : pair[0]) : key;
  if (params) for (const k of Object.keys(params)) text = text.split("{" + k + "}").join(String(params[k]));
  return text;
}
/** @param {Record<string, Pair>} obj */
function addMessages(obj) { Object.assign(messages, obj); }
/** Every message key with its Polish and English text (for the browser tests' walk). */
function catalogue() { return Object.assign({}, messages); }
/* One way to write numbers and dates (issue 16): format.js, in the chosen language. */
const fmt = createFormat(() => (lang === "en" ? "en" : "pl"));

export { lang, setLang, t, addMessages, catalogue, fmt };
