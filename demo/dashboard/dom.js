// Tiny DOM helpers. Text always goes in with textContent: comments are user input and must never
// become markup on the dashboard.
const SVG_NS = 'http://www.w3.org/2000/svg';

/** An HTML element: el('li', { class: 'x', text: 'y', data: { id: 1 } }, [children]) */
export function el(tag, props = {}, children = []) {
  const node = document.createElement(tag);
  apply(node, props);
  for (const child of children) if (child) node.append(child);
  return node;
}

/** An SVG element with attributes (numbers are fine). */
export function svg(tag, attrs = {}, children = []) {
  const node = document.createElementNS(SVG_NS, tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null) continue;
    if (k === 'text') node.textContent = String(v);
    else node.setAttribute(k, String(v));
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

function apply(node, { class: cls, text, title, data, attrs } = {}) {
  if (cls) node.className = cls;
  if (text !== undefined && text !== null) node.textContent = String(text);
  if (title) node.title = title;
  if (data) for (const [k, v] of Object.entries(data)) node.dataset[k] = String(v);
  if (attrs) for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, String(v));
}

export const byId = (id) => document.getElementById(id);

export function setText(id, text) {
  const node = byId(id);
  if (node) node.textContent = text;
}

/** "just now", "5 min ago", "3 h ago", "2 d ago". */
export function ago(at, now = Date.now()) {
  const s = Math.max(0, Math.round((now - at) / 1000));
  if (s < 45) return 'just now';
  if (s < 3600) return `${Math.round(s / 60)} min ago`;
  if (s < 86400) return `${Math.round(s / 3600)} h ago`;
  return `${Math.round(s / 86400)} d ago`;
}

export const fmt = (n, digits = 1) => (n === null || n === undefined || Number.isNaN(n) ? '–' : Number(n).toFixed(digits));
export const int = (n) => (n === null || n === undefined ? '–' : Math.round(n).toLocaleString('en-US'));
