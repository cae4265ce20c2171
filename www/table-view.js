// A figure's numbers as an HTML table, from the engine's {caption, columns, rows} of plain
// text: built with textContent only, the first cell of each row its header. Shared by the
// playground (tables.js) and the handwriting page.

function cell(tag, text, scope) {
  const c = document.createElement(tag);
  if (scope) c.scope = scope;
  c.textContent = text;
  return c;
}

/** Fills `table` with `t` ({caption, columns, rows}, plain text; none: emptied). */
export function renderTable(table, t) {
  table.replaceChildren();
  if (!t) return;
  table.createCaption().textContent = t.caption;
  table.createTHead().insertRow().append(...t.columns.map((c) => cell('th', c, 'col')));
  const body = table.createTBody();
  for (const row of t.rows) {
    body.insertRow().append(...row.map((text, i) => (i === 0 ? cell('th', text, 'row') : cell('td', text))));
  }
}
