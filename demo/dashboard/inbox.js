// The responses inbox: every feedback event from the analysis database (GET /dashboard/api/responses),
// filtered by the form, paged with "Load more", triaged per row (status, tags; PATCH), exported as
// CSV or NDJSON by links carrying the same filters. Visitor text only ever goes in as textContent.
import { byId, el, setText } from './dom.js';
import { announce } from './announce.js';

const API = '/dashboard/api/responses';
const STATUSES = ['new', 'seen', 'resolved'];
const SCALE_NAMES = { stars: 'Stars', emoji: 'Emoji', nps: 'NPS', thumbs: 'Thumbs' };
// The form's fields that are query parameters as they are (from/to are dates and become times).
const FIELDS = ['scale', 'min', 'max', 'page', 'q', 'status', 'tag', 'comment', 'sentiment', 'language'];
const LIMIT = 50;

let project = '';
let next = null;
let shown = 0;
let total = 0;

/** The filter as query parameters, from the form and the dashboard's project. */
function filterParams() {
  const form = byId('inbox-form');
  const params = new URLSearchParams();
  if (project) params.set('project', project);
  for (const name of FIELDS) {
    const value = form.elements[name].value.trim();
    if (value) params.set(name, value);
  }
  const from = form.elements.from.value;
  const to = form.elements.to.value;
  if (from) params.set('from', from);
  // "To" a day includes that day: the API's bound is exclusive.
  if (to) params.set('to', new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10));
  return params;
}

function exportLinks(params) {
  for (const format of ['csv', 'ndjson']) {
    const p = new URLSearchParams(params);
    p.set('format', format);
    byId(`inbox-export-${format}`).href = `${API}?${p}`;
  }
}

const when = (iso) => {
  const d = new Date(iso);
  return `${d.toISOString().slice(0, 10)} ${d.toISOString().slice(11, 16)}`;
};
const sentimentText = (s) => (s === null || s === undefined ? '–' : s > 0 ? `positive (${s})` : s < 0 ? `negative (${s})` : 'neutral');

async function patch(id, body, what) {
  const res = await fetch(`${API}/${encodeURIComponent(id)}`, {
    method: 'PATCH', credentials: 'same-origin', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body),
  }).catch(() => undefined);
  const answer = res ? await res.json().catch(() => ({})) : {};
  if (res && res.ok) { announce(`${what} saved.`); return answer; }
  announce(`${what} not saved: ${answer.message ?? answer.error ?? (res ? res.status : 'offline')}.`);
  return undefined;
}

function row(r) {
  const label = `response of ${when(r.at)}`;
  const status = el('select', { class: 'inbox-status', attrs: { 'aria-label': `Status of ${label}` } },
    STATUSES.map((s) => el('option', { text: s, attrs: { value: s } })));
  status.value = r.status;
  status.addEventListener('change', async () => {
    const saved = await patch(r.id, { status: status.value }, `Status ${status.value}`);
    if (!saved) status.value = r.status;
    else r.status = saved.status;
  });
  const tags = el('input', { class: 'inbox-tags', attrs: { type: 'text', 'aria-label': `Tags of ${label} (comma-separated)`, autocomplete: 'off', spellcheck: 'false' } });
  tags.value = r.tags.join(', ');
  tags.addEventListener('change', async () => {
    const list = tags.value.split(',').map((t) => t.trim()).filter(Boolean);
    const saved = await patch(r.id, { tags: list }, 'Tags');
    if (saved) { r.tags = saved.tags; tags.value = saved.tags.join(', '); } else tags.value = r.tags.join(', ');
  });
  const comment = r.comment === null
    ? el('span', { class: 'muted', text: 'no comment' })
    : el('span', { class: 'inbox-comment', text: r.comment, attrs: { dir: 'auto' } });
  return el('tr', { data: { id: r.id } }, [
    el('td', { class: 'num', text: when(r.at) }),
    el('td', { text: r.project }),
    el('td', { class: 'num', text: `${SCALE_NAMES[r.scale] ?? r.scale} ${r.score}` }),
    el('td', {}, [comment]),
    el('td', {}, [el('code', { text: r.path })]),
    el('td', { text: r.language ?? '–' }),
    el('td', { text: sentimentText(r.sentiment) }),
    el('td', {}, [status]),
    el('td', {}, [tags]),
  ]);
}

function countText() {
  if (!total) return 'No responses match.';
  return `${total.toLocaleString('en-US')} ${total === 1 ? 'response' : 'responses'} match; showing ${shown.toLocaleString('en-US')}.`;
}

/** Loads the first page (`more` false) or the next one. */
async function load(more) {
  const params = filterParams();
  exportLinks(params);
  const query = new URLSearchParams(params);
  query.set('limit', String(LIMIT));
  if (more && next) query.set('cursor', next);
  const body = byId('inbox-rows');
  const res = await fetch(`${API}?${query}`, { credentials: 'same-origin' }).catch(() => undefined);
  const answer = res ? await res.json().catch(() => ({})) : {};
  if (!res || !res.ok) {
    if (!more) { body.replaceChildren(); shown = 0; total = 0; }
    byId('inbox-more').hidden = true;
    setText('inbox-count', res?.status === 503 ? 'The responses inbox needs the analysis database.' : `Could not load responses: ${answer.message ?? answer.error ?? (res ? res.status : 'offline')}`);
    return;
  }
  const rows = answer.responses.map(row);
  if (more) body.append(...rows);
  else { body.replaceChildren(...rows); total = answer.total ?? rows.length; shown = 0; }
  shown += rows.length;
  next = answer.next;
  byId('inbox-more').hidden = !next;
  setText('inbox-count', countText());
}

/** Wires the form; `initialProject` is the dashboard's project filter. */
export function startInbox(initialProject) {
  project = initialProject;
  byId('inbox-form').addEventListener('submit', (e) => { e.preventDefault(); load(false); });
  byId('inbox-form').addEventListener('reset', () => setTimeout(() => load(false)));
  byId('inbox-more').addEventListener('click', () => load(true));
  load(false);
  return {
    /** The dashboard's project filter changed: the inbox follows it. */
    setProject(name) { project = name; load(false); },
  };
}
