// Turns section results into tables: plain text for the terminal, markdown for BENCHMARKS.md.
import { fmt, kb, ratio } from './stats.mjs';

const pad = (s, n, right) => (right ? String(s).padStart(n) : String(s).padEnd(n));

export function textTable({ title, columns, rows, notes = [] }) {
  const widths = columns.map((c, i) => Math.max(c.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) => cells.map((c, i) => pad(c, widths[i], i > 0)).join('  ');
  return [`\n== ${title}`, line(columns), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line), ...notes.map((n) => `  * ${n}`)].join('\n');
}

export function markdownTable({ title, intro, columns, rows, notes = [] }) {
  const esc = (s) => String(s).replace(/\|/g, '\\|');
  return [`## ${title}`, '', ...(intro ? [intro, ''] : []),
    `| ${columns.map(esc).join(' | ')} |`, `| ${columns.map((_, i) => (i ? '---:' : ':---')).join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`), '', ...notes.map((n) => `- ${n}`), ''].join('\n');
}

const skippedNotes = (res) => (res.skipped ?? []).map((s) => `skipped: ${s}`);

export function sizesTable(res) {
  const fp = Object.fromEntries(res.rows.filter((r) => r.feedpulse).map((r) => [r.id.replace('feedpulse-', ''), r]));
  return {
    title: '1. Bytes on the wire',
    intro: 'Feedpulse: the shipped `dist/` files. Anchors: a tiny user-like entry bundled by esbuild (minified, ESM, code splitting). '
      + '"Loaded" is what a page fetches at start-up (measured in Chromium when the bundle splits), "all chunks" adds what may load later. '
      + 'Ratio = anchor brotli (loaded) ÷ the Feedpulse file it replaces (core for analytics SDKs, the script-tag bundle for feedback widgets).',
    columns: ['bundle', 'min', 'gzip', 'brotli', 'all chunks (brotli)', 'Feedpulse smaller by'],
    rows: res.rows.map((r) => [r.label, kb(r.initial.min), kb(r.initial.gzip), kb(r.initial.brotli), r.chunks > 1 ? `${kb(r.total.brotli)} in ${r.chunks} files` : '–',
      r.feedpulse ? '1×' : `${ratio(r.initial.brotli, fp[r.against]?.initial.brotli)} ${r.against === 'widget' ? 'feedpulse.min.js' : 'core.js'}`]),
    notes: [...(res.notes ?? []), ...skippedNotes(res)],
  };
}

export function trackTable(res, coreTrack) {
  const fp = res.rows.find((r) => r.id === 'feedpulse');
  const ct = coreTrack?.data;
  const cross = ct?.single
    ? [`cross-check, bench/core-track.mjs (Feedpulse alone, ${ct.calls} calls after a 1,000-call warm-up, autocapture and pageviews off): per call median ${fmt(ct.single.median)} µs, p99 ${fmt(ct.single.p99)} µs, mean ${fmt(ct.single.mean, 2)} µs; timed in groups of 10: median ${fmt(ct.grouped.median, 2)} µs, p99 ${fmt(ct.grouped.p99, 2)} µs per call`]
    : coreTrack?.skipped ? [`cross-check bench/core-track.mjs: ${coreTrack.skipped}`] : [];
  return {
    title: `2a. Main-thread cost of ${res.rows[0]?.calls?.toLocaleString('en-US') ?? 'N'} track() calls`,
    intro: 'Calls in bursts of 100 with a macrotask between bursts (so each SDK\'s deferred work runs during the test, as on a real page). Each call timed alone with performance.now() in a cross-origin-isolated page (5 µs timer resolution, so medians under ~5 µs are at the timer floor); '
      + '"mean" is the time inside the bursts ÷ calls. Per-call times are wall-clock, so p99 and max also catch moments the shared machine preempted the page; medians do not. "Main-thread total" is every task the calls caused on the main thread, deferred work included (CDP TaskDuration in renderer-thread CPU time, until quiet). Ratios are anchor ÷ Feedpulse (the total per call): above 1× Feedpulse costs less.',
    columns: ['SDK', 'call', 'calls', 'median µs', 'p99 µs', 'max µs', 'mean µs', 'main-thread total ms', 'Feedpulse better by (p99)', 'Feedpulse better by (total)'],
    rows: res.rows.map((r) => [r.label, r.call, r.calls < r.asked ? `${r.calls} (cut off at 60 s)` : r.calls, fmt(r.medianUs), fmt(r.p99Us), fmt(r.maxUs), fmt(r.meanUs, 2), fmt(r.taskMs), r === fp ? '1×' : ratio(r.p99Us, fp?.p99Us), r === fp ? '1×' : ratio(r.taskMs / r.calls, fp?.taskMs / fp?.calls)]),
    notes: [...cross, ...(res.rows.some((r) => !r.isolated) ? ['a page was not cross-origin isolated: 100 µs timer resolution'] : []), ...skippedNotes(res)],
  };
}

export function loadTable(res, runs) {
  const peerOf = (r) => res.rows.find((x) => x.id === r.peer);
  return {
    title: '2b. What the script tag adds to page load',
    intro: `Medians of ${runs} fresh loads each (new browser context, subjects interleaved), measured until 3 s after \`load\`. Long tasks: over 50 ms (PerformanceObserver \`longtask\`). Script ms: CDP ScriptDuration; main-thread ms: CDP TaskDuration (all main-thread tasks: parse, compile, script, style, layout), both in renderer-thread CPU time (\`threadTicks\`), so time the thread sat preempted on the shared machine is not counted; "added" subtracts the blank page's median. Long tasks are wall-clock (that is how browsers report them), so on a loaded machine even the blank page can show one. Script bytes: what the page fetched as scripts (uncompressed, as served), before \`load\` and until the end of the measurement. Each SDK is measured as its quick start installs it and, for Segment and RudderStack, also loaded without the \`page()\` call their snippets make; the ratio divides a row's added main-thread time by that of the Feedpulse row that does the same on load (a pageview sent, or nothing sent).`,
    columns: ['page', 'on load', 'script KB before load', 'script KB in all (files)', 'long tasks', 'long-task ms', 'worst long task ms', 'script ms', 'added script ms', 'main-thread ms', 'added main-thread ms', 'Feedpulse better by (added main-thread, same work)'],
    rows: res.rows.map((r) => [r.label, r.onLoad ?? '', kb(r.jsStartUp).replace(' KB', ''), `${kb(r.jsAll).replace(' KB', '')} (${fmt(r.jsFiles)})`, fmt(r.longTasks), fmt(r.longMs), fmt(r.maxLongMs), fmt(r.scriptMs), r.id === 'baseline' ? '–' : fmt(r.addedScriptMs), fmt(r.taskMs), r.id === 'baseline' ? '–' : fmt(r.addedTaskMs),
      r.id === 'baseline' ? '' : r.id === r.peer ? '1×' : ratio(r.addedTaskMs, peerOf(r)?.addedTaskMs)]),
    notes: skippedNotes(res),
  };
}

export function offlineTable(res) {
  return {
    title: '3. Offline survival',
    intro: `${res.n} events made while offline; every SDK gets the same 2 s before the tab is closed; back online, the page is reopened in the same profile and given up to ${res.waitS} s. Counted: distinct events that reached the endpoint. The online control (5 events sent before going offline) shows each SDK does reach the endpoint.`,
    columns: ['SDK', 'online control', 'made offline', 'reached the endpoint', 'survival', 'sent twice', 's after reopen (last)'],
    rows: res.rows.map((r) => [r.label, r.control, r.made, r.arrived, `${fmt((100 * r.arrived) / r.made, 0)} %`, r.duplicates, fmt(r.lastArrivalS, 2)]),
    notes: skippedNotes(res),
  };
}

export function drainTable(res) {
  const fp = res.rows.find((r) => r.id === 'feedpulse');
  return {
    title: '4. Drain after reconnect',
    intro: `${res.n.toLocaleString('en-US')} events made offline with the page open, then the network returns. Time from reconnect until all were accepted by the local endpoint (an SDK that stops progressing is cut off; "arrived" shows how far it got). Feedpulse ran with \`maxQueueEvents: ${res.feedpulseConfig.maxQueueEvents}\` because its default outbox cap (5,000) is below the test size.`,
    columns: ['SDK', 'arrived', 'complete', 'seconds', 'events/s', 'requests', 'sent twice', 'Feedpulse faster by'],
    rows: res.rows.map((r) => [r.label, `${r.distinct}/${r.made}${r.made < r.asked ? ` (only ${r.made} made in 60 s)` : ''}`, r.complete ? 'yes' : 'no', fmt(r.ms / 1000, 2), fmt(r.eventsPerSec, 0), r.requests, r.duplicates, r === fp ? '1×' : ratio(fp?.eventsPerSec, r.eventsPerSec)]),
    notes: skippedNotes(res),
  };
}

export function memoryTable(res, drain) {
  const fp = res.rows.find((r) => r.id === 'feedpulse');
  const kept = (drain?.rows ?? []).filter((d) => !d.complete && res.rows.some((r) => r.id === d.id))
    .map((d) => `${d.label} delivered only ${d.distinct} of ${d.made} offline events in section 4: its heap and storage here hold the events it keeps, not all ${res.n}`);
  return {
    title: '6. Memory with queued events',
    intro: `${res.n.toLocaleString('en-US')} events made offline. Heap: JS heap used after forced GC, after minus before (CDP). IndexedDB: navigator.storage.estimate() usageDetails growth. localStorage: keys + values in UTF-16.`,
    columns: ['SDK', 'events queued', 'heap growth', 'heap after', 'IndexedDB growth', 'localStorage growth', 'Feedpulse pending', 'Feedpulse smaller by (heap growth)'],
    rows: res.rows.map((r) => [r.label, r.events < res.n ? `${r.events} (60 s cut-off)` : r.events, kb(r.heapDelta), kb(r.heapAfter), kb(r.idbDelta), kb(r.localDelta), r.pending ?? '–', r === fp ? '1×' : ratio(r.heapDelta, fp?.heapDelta)]),
    notes: [...kept, ...skippedNotes(res)],
  };
}

/** A table for another engineer's script output: an array of flat objects, or { rows }, or key/values. */
export function externalTable(title, res) {
  if (res.skipped && res.data === undefined) return { title, columns: ['status'], rows: [['not measured']], notes: [`skipped: ${res.skipped}`] };
  const data = res.data;
  const rows = Array.isArray(data) ? data : Array.isArray(data?.rows) ? data.rows : undefined;
  const notes = [...(Array.isArray(data?.notes) ? data.notes : []), ...(res.skipped ? [`warning: ${res.skipped}`] : [])];
  if (rows && rows.length && typeof rows[0] === 'object') {
    const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
    return { title, columns, rows: rows.map((r) => columns.map((c) => (typeof r[c] === 'number' ? fmt(r[c]) : r[c] ?? '–'))), notes };
  }
  const flat = Object.entries(data ?? {}).filter(([, v]) => typeof v !== 'object');
  return { title, columns: ['figure', 'value'], rows: flat.map(([k, v]) => [k, typeof v === 'number' ? fmt(v) : v]), notes };
}

/** Section 5 from bench/collector-ingest.mjs --json: { settings, results: { bare|embedded|amqp|nats: {...} }, skipped }. */
export function ingestTable(res) {
  const title = '5. Collector ingest';
  const data = res.data;
  if (!data?.results) return externalTable(title, res);
  const names = { bare: 'bare node:http JSON.parse (ceiling)', embedded: 'collector, embedded log (fsync group commit)', amqp: 'collector → RabbitMQ (publisher confirms)', nats: 'collector → NATS JetStream (publish acks)', 'amqp-raw': 'RabbitMQ alone: amqplib publishing, confirms (no HTTP)', 'nats-raw': 'NATS JetStream alone: nats.js publishing, acks (no HTTP)', kafka: 'collector → Kafka (idempotent, acks=all)', 'kafka-raw': 'Kafka alone: kafkajs sending batches, acks=all (no HTTP)' };
  const s = data.settings ?? {};
  return {
    title,
    intro: `From bench/collector-ingest.mjs: a keep-alive load generator on loopback, ${s.eventsPerBatch} events per batch, ${s.connections} connections, ${s.durationSeconds} s per target after ${s.warmupSeconds} s warm-up; each server in its own process. "vs bare" is the share of the bare server's rate.`,
    columns: ['target', 'events/s', 'batches/s', 'p50 ms per batch', 'p99 ms per batch', 'vs bare', 'answers'],
    rows: Object.entries(data.results).map(([k, r]) => [names[k] ?? k, fmt(r.eventsPerSecond, 0), fmt(r.batchesPerSecond, 0), fmt(r.p50Ms, 2), fmt(r.p99Ms, 2),
      r.ratioToBare === null || r.ratioToBare === undefined ? '–' : `${(r.ratioToBare * 100).toFixed(0)} %`, Object.entries(r.statuses ?? {}).map(([c, n]) => `${c}×${n}`).join(' ')]),
    notes: [...Object.entries(data.skipped ?? {}).map(([k, v]) => `skipped ${k}: ${v}`), ...(res.skipped ? [`warning: ${res.skipped}`] : [])],
  };
}

/** Another script's own markdown, shown as it printed it (its first heading dropped: the section has one). */
export function markdownSection(title, res) {
  if (res.markdown === undefined) return { title, columns: ['status'], rows: [['not measured']], notes: [`skipped: ${res.skipped}`] };
  return { title, raw: res.markdown.replace(/^#+ .*\n+/, '') };
}
