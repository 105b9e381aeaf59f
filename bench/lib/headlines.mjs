// The headline ratios of a run, computed from its own figures (so BENCHMARKS.md never quotes a
// number the tables below do not show).
import { fmt, kb } from './stats.mjs';

const range = (values) => {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (!v.length) return '–';
  const f = (n) => n.toFixed(n >= 10 ? 0 : 1);
  return v.length === 1 || f(v[0]) === f(v[v.length - 1]) ? `${f(v[0])}×` : `${f(v[0])}–${f(v[v.length - 1])}×`;
};

/** `lead` + the anchors' clauses joined, or nothing when this run measured no anchor. */
const beside = (lead, clauses) => (clauses.length ? `${lead}${clauses.join(', ')}` : '');

export function headlines(results) {
  const out = [];
  const sizes = results.sizes?.rows ?? [];
  const fp = Object.fromEntries(sizes.filter((r) => r.feedpulse).map((r) => [r.id.replace('feedpulse-', ''), r]));
  const vs = (against) => sizes.filter((r) => !r.feedpulse && r.against === against);
  if (fp.core && vs('core').length) out.push(`Bytes: \`dist/core.js\` is ${kb(fp.core.initial.brotli)} brotli, ${range(vs('core').map((r) => r.initial.brotli / fp.core.initial.brotli))} smaller than the other headless SDKs' start-up bytes (${vs('core').map((r) => `${r.name ?? r.label} ${kb(r.initial.brotli)}`).join(', ')}).`);
  if (fp.widget && vs('widget').length) out.push(`Bytes: the script tag loads ${kb(fp.widget.initial.brotli)} brotli at start-up (\`dist/feedpulse.min.js\`, SDK + launcher) and ${kb(fp.widget.total.brotli)} in all (with the panel and one locale file); at start-up ${range(vs('widget').map((r) => r.initial.brotli / fp.widget.initial.brotli))} smaller than ${vs('widget').map((r) => `${r.name ?? r.label} ${kb(r.initial.brotli)}`).join(', ')}.`);
  const track = results.track?.rows ?? [];
  const ft = track.find((r) => r.id === 'feedpulse');
  const others = track.filter((r) => r !== ft);
  if (ft && others.length) {
    out.push(`track(): Feedpulse median ${fmt(ft.medianUs)} µs, p99 ${fmt(ft.p99Us)} µs per call; the anchors' medians are ${range(others.map((r) => r.medianUs / ft.medianUs))} higher (${others.map((r) => `${r.label} ${fmt(r.medianUs)} µs`).join(', ')}).`);
    out.push(`Main-thread CPU for the whole track() run, deferred work included: anchors ${range(others.map((r) => (r.taskMs / r.calls) / (ft.taskMs / ft.calls)))} Feedpulse's per event.`);
  }
  const load = results.load?.rows ?? [];
  const fl = load.find((r) => r.id === 'feedpulse');
  const fq = load.find((r) => r.id === 'feedpulse-quiet');
  const peers = (id) => load.filter((r) => r.peer === id && r.id !== id).map((r) => `${r.label} ${fmt(r.addedTaskMs)} ms`);
  if (fl) out.push(`Page load: the Feedpulse script tag adds ${fmt(fl.addedTaskMs)} ms of main-thread CPU and ${fmt(fl.longTasks)} long task(s) (median of runs), a pageview sent and the launcher shown${beside('; sending an event on load too, ', peers('feedpulse'))}${fq ? `; with pageviews off ${fmt(fq.addedTaskMs)} ms${beside(', beside SDKs loaded without sending anything: ', peers('feedpulse-quiet'))}` : ''}.`);
  const off = results.offline?.rows ?? [];
  if (off.length) out.push(`Offline survival (${results.offline.n} events, tab closed offline, reopened online): ${off.map((r) => `${r.label} ${r.arrived}/${r.made}`).join(', ')}.`);
  const drain = results.drain?.rows ?? [];
  const fd = drain.find((r) => r.id === 'feedpulse');
  if (fd) out.push(`Drain of ${results.drain.n.toLocaleString('en-US')} offline events: Feedpulse ${fd.complete ? 'all' : `${fd.distinct}`} in ${fmt(fd.ms / 1000, 1)} s (${fmt(fd.eventsPerSec, 0)} events/s, ${fd.requests} requests)${beside('; ', drain.filter((r) => r !== fd).map((r) => `${r.label} ${r.complete ? `all in ${fmt(r.ms / 1000, 1)} s (${r.requests} requests)` : `${r.distinct} of ${r.made}`}`))}.`);
  const ing = results.ingest?.data?.results;
  if (ing?.embedded) out.push(`Collector ingest: ${fmt(ing.embedded.eventsPerSecond, 0)} events/s with the embedded log (${ing.bare ? `${Math.round((100 * ing.embedded.eventsPerSecond) / ing.bare.eventsPerSecond)} % of the bare JSON server's ${fmt(ing.bare.eventsPerSecond, 0)}` : 'no bare ceiling'}), p99 ${fmt(ing.embedded.p99Ms)} ms per batch${ing.amqp ? `; RabbitMQ ${fmt(ing.amqp.eventsPerSecond, 0)}` : ''}${ing.nats ? `; NATS ${fmt(ing.nats.eventsPerSecond, 0)}` : ''} events/s.`);
  const mem = results.memory?.rows ?? [];
  const fm = mem.find((r) => r.id === 'feedpulse');
  if (fm) out.push(`Memory with ${fm.events.toLocaleString('en-US')} queued: Feedpulse heap +${kb(fm.heapDelta)}, IndexedDB +${kb(fm.idbDelta)}${beside('; ', mem.filter((r) => r !== fm).map((r) => `${r.label} heap +${kb(r.heapDelta)}`))}.`);
  return out;
}
