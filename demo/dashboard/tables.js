// Text alternatives of the charts (WCAG 1.1.1): each chart is drawn from the same numbers as a
// visually hidden table beside it, which is what a screen reader reads instead of the picture.
import { el } from './dom.js';

/** Fill `table` with a caption, one header row and rows of cells (the first cell heads its row). */
export function valuesTable(table, caption, headers, rows, emptyText) {
  const head = el('thead', {}, [el('tr', {}, headers.map((h) => el('th', { text: h, attrs: { scope: 'col' } })))]);
  const body = el('tbody', {}, rows.length
    ? rows.map(([first, ...rest]) => el('tr', {}, [el('th', { text: first, attrs: { scope: 'row' } }), ...rest.map((c) => el('td', { text: c }))]))
    : [el('tr', {}, [el('td', { text: emptyText, attrs: { colspan: String(headers.length) } })])]);
  table.replaceChildren(el('caption', { text: caption }), head, body);
}
