// The least DOM the portal's components need under node's test runner (not a test file itself):
// elements with attributes, children, text, listeners and a querySelector for the simple
// selectors the components use ("#id", ".class", "[attr]", "tag", "tag.class", "a, b").

class Node {
  constructor() {
    this.parentNode = null;
    this.childNodes = [];
  }
  get textContent() {
    return this.childNodes.map((c) => c.textContent).join("");
  }
  set textContent(text) {
    this.childNodes = [];
    if (text) this.append(String(text));
  }
  get isConnected() {
    let n = this;
    while (n.parentNode) n = n.parentNode;
    return n === document.body;
  }
  append(...nodes) {
    for (const n of nodes) {
      const node = n instanceof Node ? n : new Text(String(n));
      node.remove();
      node.parentNode = this;
      this.childNodes.push(node);
    }
  }
  prepend(...nodes) {
    const rest = this.childNodes;
    this.childNodes = [];
    this.append(...nodes);
    for (const n of rest) this.childNodes.push(n);
  }
  remove() {
    if (this.parentNode) this.parentNode.childNodes = this.parentNode.childNodes.filter((c) => c !== this);
    this.parentNode = null;
  }
}

class Text extends Node {
  constructor(text) {
    super();
    this.data = text;
  }
  get textContent() {
    return this.data;
  }
}

function matches(el, selector) {
  const m = selector.trim().match(/^([a-z]*)(?:#([\w-]+))?(?:\.([\w-]+))?(?:\[([\w-]+)\])?$/);
  if (!m) throw new Error("fake DOM: unsupported selector " + selector);
  const [, tag, id, cls, attr] = m;
  return (!tag || el.tagName === tag.toUpperCase()) && (!id || el.getAttribute("id") === id)
    && (!cls || (el.getAttribute("class") || "").split(" ").includes(cls)) && (!attr || el.hasAttribute(attr));
}

class Element extends Node {
  constructor(tag) {
    super();
    this.tagName = tag.toUpperCase();
    this.attributes = new Map();
    this.listeners = {};
    this.hidden = false;
  }
  get id() { return this.getAttribute("id") || ""; }
  get name() { return this.getAttribute("name") || ""; }
  get children() { return this.childNodes.filter((c) => c instanceof Element); }
  set innerHTML(html) { this.childNodes = []; if (html) this.append(String(html)); }
  setAttribute(k, v) { this.attributes.set(k, String(v)); }
  getAttribute(k) { return this.attributes.has(k) ? this.attributes.get(k) : null; }
  hasAttribute(k) { return this.attributes.has(k); }
  removeAttribute(k) { this.attributes.delete(k); }
  addEventListener(type, fn) { (this.listeners[type] = this.listeners[type] || []).push(fn); }
  dispatch(type) { for (const fn of this.listeners[type] || []) fn({ type, target: this }); }
  focus() { document.activeElement = this; }
  scrollIntoView() {}
  querySelectorAll(selector) {
    const parts = selector.split(",");
    const out = [];
    const walk = (n) => {
      for (const c of n.children) {
        if (parts.some((p) => matches(c, p))) out.push(c);
        walk(c);
      }
    };
    walk(this);
    return out;
  }
  querySelector(selector) { return this.querySelectorAll(selector)[0] || null; }
}

// A <select>'s value: its selected option's, else its first option's.
class Select extends Element {
  get value() {
    const options = this.querySelectorAll("option");
    const chosen = this._value !== undefined ? options.find((o) => o.getAttribute("value") === this._value) : options.find((o) => o.hasAttribute("selected"));
    const o = chosen || options[0];
    return o ? o.getAttribute("value") : "";
  }
  set value(v) { this._value = v; }
}

// A <dialog>: showModal opens it; close(value) sets returnValue and fires "close".
class Dialog extends Element {
  showModal() { this.open = true; }
  close(value) { this.open = false; this.returnValue = value; this.dispatch("close"); }
}

const document = {
  body: new Element("body"),
  activeElement: null,
  createElement: (tag) => (tag === "select" ? new Select(tag) : tag === "dialog" ? new Dialog(tag) : new Element(tag)),
  createTextNode: (text) => new Text(text),
};

const store = new Map();
Object.assign(globalThis, {
  Node,
  document,
  localStorage: { getItem: (k) => (store.has(k) ? store.get(k) : null), setItem: (k, v) => store.set(k, String(v)) },
});
// node 20 has no navigator; 21+ has one whose language is the system's.
Object.defineProperty(globalThis, "navigator", { value: { language: "pl-PL" }, configurable: true });

export { document, Element };
