// Lists, from the figures of this run, each side-by-side figure where an anchor beats Feedpulse, so
// BENCHMARKS.md says so plainly (the why is written in bench/commentary.md).
import { fmt, kb } from './stats.mjs';

export function findLosses(results) {
  const out = [];
  const sizes = results.sizes?.rows ?? [];
  const fpSize = Object.fromEntries(sizes.filter((r) => r.feedpulse).map((r) => [r.id.replace('feedpulse-', ''), r]));
  for (const r of sizes.filter((x) => !x.feedpulse)) {
    const fp = fpSize[r.against];
    if (fp && r.initial.brotli < fp.initial.brotli) out.push(`bytes: ${r.label} loads ${kb(r.initial.brotli)} brotli at start-up, less than ${fp.label} (${kb(fp.initial.brotli)})`);
  }
  const track = results.track?.rows ?? [];
  const fpT = track.find((r) => r.id === 'feedpulse');
  for (const r of track.filter((x) => x !== fpT && fpT)) {
    if (r.medianUs < fpT.medianUs) out.push(`track() median: ${r.label} ${fmt(r.medianUs)} µs vs Feedpulse ${fmt(fpT.medianUs)} µs`);
    if (r.p99Us < fpT.p99Us) out.push(`track() p99: ${r.label} ${fmt(r.p99Us)} µs vs Feedpulse ${fmt(fpT.p99Us)} µs`);
    if (r.taskMs < fpT.taskMs) out.push(`main-thread total for the track() loop: ${r.label} ${fmt(r.taskMs)} ms vs Feedpulse ${fmt(fpT.taskMs)} ms`);
  }
  // Page load: each row beside the Feedpulse row that does the same on load (see section 2b).
  const load = results.load?.rows ?? [];
  for (const r of load.filter((x) => x.id !== 'baseline' && x.peer && x.peer !== x.id)) {
    const fpL = load.find((x) => x.id === r.peer);
    if (!fpL) continue;
    if (r.addedTaskMs < fpL.addedTaskMs) out.push(`page load: ${r.label} adds ${fmt(r.addedTaskMs)} ms of main-thread time vs ${fpL.label} ${fmt(fpL.addedTaskMs)} ms`);
    if (r.addedScriptMs < fpL.addedScriptMs) out.push(`page load: ${r.label} adds ${fmt(r.addedScriptMs)} ms of script execution vs ${fpL.label} ${fmt(fpL.addedScriptMs)} ms`);
    if (r.longTasks < fpL.longTasks) out.push(`page load long tasks: ${r.label} ${fmt(r.longTasks)} vs ${fpL.label} ${fmt(fpL.longTasks)}`);
  }
  const off = results.offline?.rows ?? [];
  const fpO = off.find((r) => r.id === 'feedpulse');
  for (const r of off.filter((x) => x !== fpO && fpO)) if (r.arrived > fpO.arrived) out.push(`offline survival: ${r.label} ${r.arrived}/${r.made} vs Feedpulse ${fpO.arrived}/${fpO.made}`);
  if (fpO && fpO.duplicates > 0) out.push(`offline survival: Feedpulse sent ${fpO.duplicates} events twice`);
  const drain = results.drain?.rows ?? [];
  const fpD = drain.find((r) => r.id === 'feedpulse');
  for (const r of drain.filter((x) => x !== fpD && fpD)) {
    if (r.complete && (!fpD.complete || r.eventsPerSec > fpD.eventsPerSec)) out.push(`drain: ${r.label} ${fmt(r.eventsPerSec, 0)} events/s vs Feedpulse ${fmt(fpD.eventsPerSec, 0)} events/s${fpD.complete ? '' : ' (Feedpulse incomplete)'}`);
  }
  const mem = results.memory?.rows ?? [];
  const fpM = mem.find((r) => r.id === 'feedpulse');
  for (const r of mem.filter((x) => x !== fpM && fpM)) {
    if (r.heapDelta < fpM.heapDelta) out.push(`heap with queued events: ${r.label} +${kb(r.heapDelta)} vs Feedpulse +${kb(fpM.heapDelta)}`);
  }
  return out;
}
