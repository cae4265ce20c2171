// The page in the reader's language. English is written where each text is: in the HTML,
// in these scripts and in the engine. Every other language is one table in the engine
// (src/lang/) from those English texts to its own; this module puts it on the page.
//
// A text of the page is an element's own text, with its child elements as the marks {0},
// {1}, … (so "Save: {0} {1}" for a caption's two buttons): a translation may move them,
// and they stay the same elements, with their ids and listeners. Text is only ever set as
// text nodes, never as HTML. <code> and anything marked translate="no" stay as they are.

const KEEP = new Set(['SCRIPT', 'STYLE', 'CODE', 'TEXTAREA', 'svg']);
const ATTRS = ['aria-label', 'title', 'placeholder'];
const WORD = /[A-Za-z]{2}/;

let table = null; // English → this language's text; null while the page is in English
let decimalComma = false;

const tidy = (s) => s.replace(/\s+/g, ' ').trim();

/** Each element with words of its own: the element, its text as a template, its child elements. */
export function textUnits(root = document.documentElement) {
  const out = [];
  const walk = (el) => {
    if (KEEP.has(el.tagName) || el.getAttribute('translate') === 'no') return;
    const kids = [...el.children];
    let template = '';
    let own = '';
    for (const n of el.childNodes) {
      if (n.nodeType === Node.TEXT_NODE) {
        template += n.data;
        own += n.data;
      } else if (n.nodeType === Node.ELEMENT_NODE) template += `{${kids.indexOf(n)}}`;
    }
    if (WORD.test(own)) out.push({ el, template: tidy(template), kids });
    for (const k of kids) walk(k);
  };
  walk(root);
  return out;
}

/** Each attribute a reader meets (a label, a tooltip, a placeholder) that has words. */
export function attributeUnits(root = document.documentElement) {
  const out = [];
  for (const el of root.querySelectorAll(ATTRS.map((a) => `[${a}]`).join(','))) {
    if (el.closest('[translate="no"]')) continue;
    for (const name of ATTRS) {
      const text = el.getAttribute(name);
      if (text && WORD.test(text)) out.push({ el, name, text: tidy(text) });
    }
  }
  return out;
}

/** `template` with each {i} replaced by parts[i] (strings or nodes), as a list of parts. */
function pieces(template, parts) {
  return template
    .split(/(\{\d+\})/)
    .map((p) => {
      const m = /^\{(\d+)\}$/.exec(p);
      return m && parts[+m[1]] !== undefined ? parts[+m[1]] : p;
    })
    .filter((p) => p !== '');
}

/** The page in language `code`, from the engine's `lang_texts` for it: its table (pairs
 * [English, text]; none for English) and its decimal mark. */
export function translatePage(code, { texts, decimal_comma: comma }) {
  document.documentElement.lang = code;
  table = texts.length ? new Map(texts) : null;
  decimalComma = comma;
  if (!table) return;
  const units = textUnits();
  const attributes = attributeUnits();
  for (const { el, template, kids } of units) {
    const to = table.get(template);
    if (to) el.replaceChildren(...pieces(to, kids));
  }
  for (const { el, name, text } of attributes) {
    const to = table.get(text);
    if (to) el.setAttribute(name, to);
  }
}

/** `english` in the page's language, with its {i} marks filled by `parts`. */
export function t(english, ...parts) {
  return pieces(table?.get(english) ?? english, parts.map(String)).join('');
}

/** The page's language writes a decimal comma (numbers.js writes numbers with it). */
export const decimalCommaUsed = () => decimalComma;

/** A number as a form writes it ("0.25", a slider's value) with the language's decimal mark. */
export const decimal = (text) => (decimalComma ? String(text).replace('.', ',') : String(text));
