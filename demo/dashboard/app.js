// The live dashboard: one EventSource on /dashboard/stream; each `view` message re-renders the
// sections from data. User text is only ever set with textContent (see dom.js). The project filter
// lives in the address (?project=), so a reload or a shared link keeps it; changing it reconnects
// the stream for that project.
import { ago, byId, el, fmt, int, setText, svg as svgNode } from './dom.js';
import { columnChart, meterBar, npsGauge, sparkline, stackBar, timeChart } from './charts.js';
import { valuesTable } from './tables.js';
import { announce } from './announce.js';
import { startInbox } from './inbox.js';

const SCALE_NAMES = { stars: 'Stars', emoji: 'Emoji', nps: 'NPS', thumbs: 'Thumbs' };
const EMOJI_NAMES = ['Very dissatisfied', 'Dissatisfied', 'Neutral', 'Satisfied', 'Very satisfied'];
const LANGUAGE_NAMES = { en: 'English', de: 'German', fr: 'French', es: 'Spanish', other: 'other languages' };

let lastView;
let rendered = false;
// Ids on screen after the last render: anything not in here is new (and gets highlighted).
let knownComments = new Set();
let knownAlerts = new Set();
// Names as the server accepts them (anything else would only get 400s on the stream).
const PROJECT_NAME = /^[A-Za-z0-9_-]{1,64}$/;
const fromAddress = new URLSearchParams(location.search).get('project') ?? '';
let project = PROJECT_NAME.test(fromAddress) ? fromAddress : '';
let stream;
// Pause (WCAG 2.2.2): views keep arriving but only the newest is kept, and drawn on Resume.
let paused = false;
let heldView;
// The simulation as last rendered, to announce its start and end once each.
let lastSim;

function ratingText(rating, scale) {
  if (scale === 'stars') return `${'★'.repeat(rating)}${'☆'.repeat(5 - rating)}`;
  if (scale === 'emoji') return EMOJI_NAMES[rating - 1] ?? String(rating);
  if (scale === 'thumbs') return rating ? 'Thumbs up' : 'Thumbs down';
  return `NPS ${rating}`;
}
function moodClass(rating, scale) {
  const [min, max] = scale === 'nps' ? [0, 10] : scale === 'thumbs' ? [0, 1] : [1, 5];
  const s = (rating - min) / (max - min);
  return s >= 0.7 ? 'good' : s >= 0.4 ? 'ok' : 'bad';
}
const hhmm = (at) => new Date(at).toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit' });
const mmdd = (day) => day.slice(5);
// Characters past which a comment is clamped to a few lines in the feed (the analysis keeps 2,000).
const LONG_COMMENT = 280;
// A comment as text (never HTML), in its own direction; a long one shows its first lines until
// focused or hovered (so it is focusable).
const commentText = (text) => (text.length > LONG_COMMENT
  ? el('p', { class: 'text long', text, attrs: { dir: 'auto', tabindex: '0' } })
  : el('p', { class: 'text', text, attrs: { dir: 'auto' } }));

function renderHeader(v) {
  setText('processed', int(v.processed));
  setText('rate', v.rate ? ` (${int(v.rate)}/s now)` : '');
  setText('source', v.source);
  // The source may be cut short on a narrow header: its full text as a tooltip too.
  byId('source').title = v.source;
  const sim = v.simulation;
  const button = byId('simulate');
  // A production start can turn the button off (FEEDPULSE_SIMULATE=off).
  button.hidden = sim.available === false;
  // aria-disabled, not disabled: a disabled button drops keyboard focus to <body> (2.4.3).
  button.setAttribute('aria-disabled', String(Boolean(sim.running)));
  const into = sim.project ? ` into ${sim.project}` : '';
  // The counter is for the eyes only (it changes ~10 times a second); announce() says the rest.
  setText('sim-status', sim.running ? `sending ${int(sim.sent)} / ${int(sim.total || 0)} events${into}…`
    : sim.error ? `simulation: ${sim.error}` : sim.startedAt ? `simulation done (project ${sim.project ?? ''})` : '');
  if (lastSim && sim.running && !lastSim.running) announce(`Simulation started: ${int(sim.total || 0)} events${into}.`);
  if (lastSim?.running && !sim.running) announce(sim.error ? `Simulation failed: ${sim.error}` : `Simulation finished: ${int(sim.sent)} events sent${into}.`);
  lastSim = sim;
}

function renderKpis(v) {
  const oneToFive = v.ratings.filter((r) => r.scale === 'stars' || r.scale === 'emoji').sort((a, b) => b.count - a.count);
  const main = oneToFive[0] ?? v.ratings[0];
  if (main) {
    setText('rating-big', `${fmt(main.rolling ?? main.average, 2)} / ${main.max}`);
    const others = v.ratings.filter((r) => r !== main && r.scale !== 'nps')
      .map((r) => (r.scale === 'thumbs' ? `${Math.round(r.average * 100)}% thumbs up` : `${SCALE_NAMES[r.scale]} ${fmt(r.average, 2)}`));
    setText('rating-detail', `${SCALE_NAMES[main.scale]}, last hour (${int(main.rollingCount)}) · overall ${fmt(main.average, 2)} from ${int(main.count)}${others.length ? ` · ${others.join(' · ')}` : ''}`);
  } else {
    // Empty again after switching to a project without ratings: no figures of another project left.
    setText('rating-big', '–');
    setText('rating-detail', 'no ratings yet');
  }
  npsGauge(byId('nps-gauge'), v.nps.score);
  sparkline(byId('nps-trend'), v.nps.perDay.map((d) => d.score), -100, 100);
  valuesTable(byId('nps-trend-table'), 'NPS per day, last 14 days (UTC)', ['Day', 'NPS', 'Answers'],
    v.nps.perDay.filter((d) => d.score !== null).map((d) => [d.day, String(d.score), int(d.total)]), 'No NPS answers yet.');
  if (v.nps.total) {
    const pct = (n) => `${Math.round((n / v.nps.total) * 100)}%`;
    setText('nps-detail', `${pct(v.nps.promoters)} promoters · ${pct(v.nps.passives)} passives · ${pct(v.nps.detractors)} detractors (${int(v.nps.total)})`);
  } else setText('nps-detail', 'no NPS answers yet');
  setText('csat-big', v.csat.percent === null ? '–' : `${fmt(v.csat.percent, 0)}%`);
  setText('csat-detail', v.csat.total ? `${int(v.csat.satisfied)} of ${int(v.csat.total)} rated 4–5` : 'share of 4–5 on 1–5 scales');
  const s = v.sentiment;
  setText('sentiment-big', s.average === null ? '–' : `${s.average > 0 ? '+' : ''}${fmt(s.average, 2)}`);
  stackBar(byId('sentiment-bar'), [
    { value: s.labels.positive, cls: 'good', label: 'positive' },
    { value: s.labels.neutral, cls: 'ok', label: 'neutral' },
    { value: s.labels.negative, cls: 'bad', label: 'negative' },
  ]);
  byId('sentiment-bar').setAttribute('aria-label', `Sentiment split: ${int(s.labels.positive)} positive, ${int(s.labels.neutral)} neutral, ${int(s.labels.negative)} negative`);
  if (s.count) {
    const langs = Object.entries(s.byLanguage).sort((a, b) => b[1] - a[1]).map(([l, n]) => `${LANGUAGE_NAMES[l] ?? l} ${Math.round((n / s.count) * 100)}%`);
    setText('sentiment-detail', `${int(s.labels.positive)} positive · ${int(s.labels.neutral)} neutral · ${int(s.labels.negative)} negative · ${langs.join(', ')}`);
  } else setText('sentiment-detail', 'no comments yet');
  setText('alert-count', int(v.alertCount));
  setText('webhook-state', v.webhook ? 'sent to the webhook' : 'no webhook configured (FEEDPULSE_WEBHOOK_URL)');
}

/**
 * Units to draw a time chart in: its designed width on a wide screen (where it scales up as before),
 * the width it is shown at when that is narrower (a phone), so its labels are not scaled down to
 * unreadable 5 px there.
 */
const drawWidth = (node, designed) => {
  const shown = Math.floor(node.getBoundingClientRect().width);
  return shown > 0 && shown < designed ? Math.max(shown, 200) : designed;
};

function renderCharts(v) {
  const lines = v.ratings.filter((r) => r.scale === 'stars' || r.scale === 'emoji');
  const any = v.ratings[0];
  const minuteSlots = (lines[0] ?? any)?.perMinute ?? [];
  const counts = minuteSlots.map((slot) => v.ratings.reduce((sum, r) => sum + (r.perMinute.find((p) => p.at === slot.at)?.count ?? 0), 0));
  timeChart(byId('chart-minutes'), {
    width: drawWidth(byId('chart-minutes'), 640), height: 200, yMin: 1, yMax: 5, yTicks: [1, 2, 3, 4, 5],
    labels: minuteSlots.map((p) => hhmm(p.at)), counts,
    series: lines.map((r) => ({ name: r.scale, cls: `s-${r.scale}`, points: minuteSlots.map((slot) => r.perMinute.find((p) => p.at === slot.at)?.average ?? null) })),
  });
  const legend = lines.map((r) => `${SCALE_NAMES[r.scale]} (line)`).concat(['ratings per minute (bars)']);
  setText('minutes-legend', legend.join(' · '));
  const average = (points, at) => { const p = points.find((q) => q.at === at || q.day === at); return p?.average === null || p?.average === undefined ? '–' : p.average.toFixed(2); };
  const columns = () => ['Ratings', ...lines.map((r) => `${SCALE_NAMES[r.scale]} average`)];
  // Only the minutes with ratings: 60 rows of dashes say nothing.
  valuesTable(byId('minutes-table'), 'Ratings per minute, last 60 minutes', ['Minute', ...columns()],
    minuteSlots.map((slot, i) => [hhmm(slot.at), int(counts[i]), ...lines.map((r) => average(r.perMinute, slot.at))]).filter((row, i) => counts[i]),
    'No ratings in the last hour.');
  const days = [...new Set(v.ratings.flatMap((r) => r.perDay.map((d) => d.day)))].sort().slice(-14);
  timeChart(byId('chart-days'), {
    width: drawWidth(byId('chart-days'), 320), height: 200, yMin: 1, yMax: 5, yTicks: [1, 2, 3, 4, 5],
    labels: days.map(mmdd), counts: days.map((day) => v.ratings.reduce((sum, r) => sum + (r.perDay.find((d) => d.day === day)?.count ?? 0), 0)),
    series: lines.map((r) => ({ name: r.scale, cls: `s-${r.scale}`, points: days.map((day) => r.perDay.find((d) => d.day === day)?.average ?? null) })),
  });
  const dayCounts = days.map((day) => v.ratings.reduce((sum, r) => sum + (r.perDay.find((d) => d.day === day)?.count ?? 0), 0));
  valuesTable(byId('days-table'), 'Ratings per day, last 14 days (UTC)', ['Day', ...columns()],
    days.map((day, i) => [day, int(dayCounts[i]), ...lines.map((r) => average(r.perDay, day))]), 'No ratings yet.');
  const npsDays = v.nps.perDay.filter((d) => d.score !== null);
  // Days are UTC dates (the consumer's day keys); the newest day with NPS answers may not be today.
  const lastNps = npsDays[npsDays.length - 1];
  const npsDay = lastNps && (lastNps.day === new Date().toISOString().slice(0, 10) ? 'today' : `on ${mmdd(lastNps.day)}`);
  setText('days-legend', `${lines.map((r) => `${SCALE_NAMES[r.scale]} (line)`).concat(['ratings per day (bars)']).join(' · ')}${lastNps ? ` · NPS ${npsDay} ${lastNps.score}` : ''}`);
}

function renderDistribution(v) {
  const blocks = v.ratings.map((r) => {
    if (r.scale === 'nps') {
      // Eleven values read better as columns, coloured detractor / passive / promoter.
      const chart = svgNode('svg', { class: 'columns', viewBox: '0 0 260 90', role: 'img', 'aria-label': `NPS answers, score: count. ${r.distribution.map((n, i) => `${i}: ${n}`).join(', ')}` });
      columnChart(chart, r.distribution.map((value, i) => ({ label: String(i), value, cls: i >= 9 ? 'good' : i >= 7 ? 'ok' : 'bad' })));
      return el('div', { class: 'dist-block' }, [el('h3', { text: `NPS · ${int(r.count)}` }), chart]);
    }
    const max = Math.max(1, ...r.distribution);
    const rows = r.distribution.map((count, i) => ({ value: r.min + i, count })).reverse();
    return el('div', { class: 'dist-block' }, [
      el('h3', { text: `${SCALE_NAMES[r.scale]} · ${int(r.count)}` }),
      el('table', { class: 'bars' }, [el('tbody', {}, rows.map(({ value, count }) => el('tr', {}, [
        el('th', { text: r.scale === 'stars' ? `${value}★` : r.scale === 'thumbs' ? (value ? 'up' : 'down') : String(value), attrs: { scope: 'row' } }),
        el('td', {}, [meterBar(count / max, moodClass(value, r.scale), 140, 9)]),
        el('td', { class: 'num', text: int(count) }),
      ])))]),
    ]);
  });
  byId('distribution').replaceChildren(...(blocks.length ? blocks : [el('p', { class: 'empty', text: 'No ratings yet.' })]));
}

/**
 * Keyed update of a feed: rows are kept (and only their age text refreshed) while they stay in
 * the list, so a row's "just arrived" highlight is not restarted by every push.
 */
function syncFeed(list, items, build, refresh, emptyText) {
  if (!items.length) {
    list.replaceChildren(el('li', { class: 'empty', text: emptyText }));
    return;
  }
  const wanted = new Set(items.map((item) => item.id));
  const existing = new Map();
  for (const node of [...list.children]) {
    if (node.dataset.id && wanted.has(node.dataset.id)) existing.set(node.dataset.id, node);
    else node.remove();
  }
  let previous = null;
  for (const item of items) {
    let node = existing.get(item.id);
    if (node) refresh(node, item);
    else node = build(item);
    const slot = previous ? previous.nextSibling : list.firstChild;
    if (slot !== node) list.insertBefore(node, slot);
    previous = node;
  }
}

const setChildText = (node, selector, text) => { const child = node.querySelector(selector); if (child) child.textContent = text; };

function renderComments(v) {
  syncFeed(byId('comments'), v.comments, (c) => {
    const fresh = rendered && !knownComments.has(c.id);
    return el('li', { class: `comment ${moodClass(c.rating, c.scale)}${fresh ? ' fresh' : ''}`, data: { id: c.id } }, [
      el('p', { class: 'line' }, [
        el('span', { class: 'rating', text: ratingText(c.rating, c.scale) }),
        el('span', { class: 'where', text: c.path }),
        el('span', { class: 'lang', text: c.language }),
        el('span', { class: 'when', text: ago(c.at) }),
      ]),
      // dir=auto: an Arabic or Hebrew comment reads right to left, its punctuation where the writer put it.
      commentText(c.comment),
    ]);
  }, (node, c) => setChildText(node, '.when', ago(c.at)), 'No comments yet — leave one on the demo page.');
  knownComments = new Set(v.comments.map((c) => c.id));
}

// `stale`: the feedback was older than the send window when the alert was raised or retried.
const DELIVERY_TEXT = { stale: 'not sent (feedback too old)', off: 'off' };
const alertDetail = (a) => `${a.rules.map((r) => r.detail).join('; ')} · webhook: ${DELIVERY_TEXT[a.delivery] ?? a.delivery}${a.more ? ` · +${a.more} more from this visitor` : ''}`;

function renderAlerts(v) {
  syncFeed(byId('alerts'), v.alerts, (a) => {
    const fresh = rendered && !knownAlerts.has(a.id);
    return el('li', { class: `alert ${a.severity}${fresh ? ' fresh' : ''}`, data: { id: a.id } }, [
      el('p', { class: 'line' }, [
        el('span', { class: 'severity', text: a.severity }),
        el('span', { class: 'rules', text: a.rules.map((r) => r.rule).join(' + ') }),
        el('span', { class: 'where', text: a.path }),
        el('span', { class: 'when', text: ago(a.at) }),
      ]),
      a.comment ? commentText(a.comment) : null,
      el('p', { class: 'detail', text: alertDetail(a) }),
    ]);
  }, (node, a) => {
    setChildText(node, '.when', ago(a.at));
    setChildText(node, '.detail', alertDetail(a));
  }, 'No alerts. Critical feedback shows up here.');
  knownAlerts = new Set(v.alerts.map((a) => a.id));
}

function renderTables(v) {
  const pageRows = v.worstPages.map((p) => el('tr', {}, [
    el('th', { attrs: { scope: 'row' } }, [el('code', { text: p.path })]),
    el('td', {}, [meterBar(p.score / 100, p.score >= 70 ? 'good' : p.score >= 45 ? 'ok' : 'bad')]),
    el('td', { class: 'num', text: fmt(p.score, 0) }),
    el('td', { class: 'num muted', text: `${int(p.count)} ratings` }),
  ]));
  byId('pages').tBodies[0].replaceChildren(...(pageRows.length ? pageRows : [el('tr', {}, [el('td', { class: 'empty', text: 'Pages need 3 ratings to be ranked.' })])]));
  const maxClicks = Math.max(1, ...v.hotSpots.map((s) => s.count));
  const clickRows = v.hotSpots.map((s) => el('tr', {}, [
    el('th', { attrs: { scope: 'row' } }, [el('code', { text: s.selector }), el('span', { class: 'muted', text: ` on ${s.path}` })]),
    el('td', {}, [meterBar(s.count / maxClicks, 'accent')]),
    el('td', { class: 'num', text: int(s.count) }),
  ]));
  byId('clicks').tBodies[0].replaceChildren(...(clickRows.length ? clickRows : [el('tr', {}, [el('td', { class: 'empty', text: 'No clicks yet.' })])]));
  const chip = (t) => el('li', { title: `${t.count} negative comments` }, [el('span', { text: t.term }), el('b', { text: String(t.count) })]);
  byId('neg-phrases').replaceChildren(...v.negativeWords.phrases.slice(0, 8).map(chip));
  byId('neg-words').replaceChildren(...(v.negativeWords.words.length ? v.negativeWords.words.map(chip) : [el('li', { class: 'empty', text: 'No negative comments yet.' })]));
}

/** The select lists every project seen; the one shown stays listed even before its first event. */
function renderProjects(v) {
  const select = byId('project');
  const names = [...new Set([...(v.projects ?? []), ...(project ? [project] : [])])].sort();
  const current = [...select.options].slice(1).map((o) => o.value);
  if (current.join('\n') !== names.join('\n')) {
    select.replaceChildren(el('option', { text: 'All projects', attrs: { value: '' } }), ...names.map((n) => el('option', { text: n, attrs: { value: n } })));
  }
  if (select.value !== project) select.value = project;
}

function render(v) {
  if (paused) { heldView = v; return; }
  // A view still in flight from the previous filter is not this one's. A project the server does
  // not know yet gets the shared empty view (`unseen`), whatever its name.
  if (v.unseen ? !project : (v.project ?? '') !== project) return;
  lastView = v;
  for (const part of [renderProjects, renderHeader, renderKpis, renderCharts, renderDistribution, renderComments, renderAlerts, renderTables]) {
    try { part(v); } catch (err) { console.error(`dashboard: ${part.name} failed`, err); }
  }
  rendered = true;
  document.body.dataset.processed = String(v.processed);
}

function connect() {
  stream?.close();
  stream = new EventSource(`/dashboard/stream${project ? `?project=${encodeURIComponent(project)}` : ''}`);
  // Lost and back are each said once (the stream retries every few seconds while down).
  let down = false;
  const state = (cls, text) => { byId('conn-dot').className = `dot ${cls}`; setText('conn-text', paused && cls === 'live' ? 'paused' : text); };
  const up = () => {
    state('live', 'live');
    if (down) announce('Connection restored. Live updates again.');
    down = false;
  };
  stream.addEventListener('open', up);
  stream.addEventListener('error', () => {
    state('down', 'reconnecting…');
    if (!down) announce('Connection lost. Reconnecting…');
    down = true;
  });
  stream.addEventListener('view', (e) => {
    up();
    render(JSON.parse(e.data));
  });
}

byId('project').addEventListener('change', (e) => {
  project = e.target.value;
  const url = new URL(location.href);
  if (project) url.searchParams.set('project', project);
  else url.searchParams.delete('project');
  history.replaceState(null, '', url);
  // A fresh start for the new project: nothing on screen counts as "just arrived".
  rendered = false;
  knownComments = new Set();
  knownAlerts = new Set();
  connect();
  inbox.setProject(project);
});

byId('pause').addEventListener('click', (e) => {
  paused = !paused;
  const button = e.currentTarget;
  button.setAttribute('aria-pressed', String(paused));
  setText('conn-text', paused ? 'paused' : 'live');
  announce(paused ? 'Live updates paused.' : 'Live updates resumed.');
  if (!paused && heldView) { const v = heldView; heldView = undefined; render(v); }
});

byId('simulate').addEventListener('click', async (e) => {
  if (e.currentTarget.getAttribute('aria-disabled') === 'true') { announce('A simulation is already running.'); return; }
  setText('sim-status', 'starting…');
  const res = await fetch('/dashboard/simulate', {
    method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ visitors: 1500, rate: 400 }),
  }).catch(() => undefined);
  if (res && res.ok) return;
  // The server says why (a run going on, the cooldown, turned off).
  const answer = res ? await res.json().catch(() => ({})) : {};
  setText('sim-status', `could not start (${res ? answer.message ?? res.status : 'offline'})`);
  announce(`Simulation could not start: ${res ? answer.message ?? res.status : 'offline'}.`);
});

// A rotated phone or a resized window: redraw the time charts for their new width.
let resizeQueued = false;
addEventListener('resize', () => {
  if (resizeQueued || !lastView) return;
  resizeQueued = true;
  requestAnimationFrame(() => { resizeQueued = false; renderCharts(lastView); });
});

// Keep "x min ago" honest between updates.
setInterval(() => { if (lastView) { renderComments(lastView); renderAlerts(lastView); } }, 30_000);
connect();
const inbox = startInbox(project);
