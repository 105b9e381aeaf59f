// Command-line flags and the sizes each section runs at. `--quick` shrinks every loop so the whole
// bench runs in well under a minute (the smoke test uses it); the full sizes are those of issue 6.
export const SECTIONS = ['sizes', 'main', 'load', 'offline', 'drain', 'ingest', 'memory', 'dashboard', 'consumer', 'replay', 'export', 'worker'];

const FULL = { trackCalls: 10_000, loadRuns: 5, offlineEvents: 100, drainEvents: 10_000, memoryEvents: 5_000, drainTimeoutMs: 120_000, reopenWaitMs: 30_000 };
const QUICK = { trackCalls: 200, loadRuns: 1, offlineEvents: 20, drainEvents: 200, memoryEvents: 200, drainTimeoutMs: 20_000, reopenWaitMs: 15_000 };

export function parseArgs(argv = process.argv.slice(2)) {
  const flag = (name) => argv.includes(`--${name}`);
  const value = (name) => {
    const hit = argv.find((a) => a.startsWith(`--${name}=`));
    if (hit) return hit.slice(name.length + 3);
    const i = argv.indexOf(`--${name}`);
    return i >= 0 && argv[i + 1] && !argv[i + 1].startsWith('--') ? argv[i + 1] : undefined;
  };
  const quick = flag('quick');
  const only = value('only')?.split(',').map((s) => s.trim()).filter(Boolean) ?? SECTIONS;
  const unknown = only.filter((s) => !SECTIONS.includes(s));
  if (unknown.length) throw new Error(`unknown section(s) ${unknown.join(', ')}; known: ${SECTIONS.join(', ')}`);
  return {
    quick,
    sizes: { ...(quick ? QUICK : FULL) },
    only,
    // Full runs write BENCHMARKS.md at the repo root; quick runs write only where --out says.
    out: value('out') ?? (quick ? undefined : 'BENCHMARKS.md'),
    // --no-anchors measures Feedpulse alone (also what happens when bench/node_modules is absent).
    anchors: !flag('no-anchors'),
    // Machine-readable results (the smoke test reads them); always also in bench/.anchors/last-run.json.
    json: value('json'),
    help: flag('help') || flag('h'),
  };
}

export const HELP = `npm run bench [-- flags]
  --quick            tiny sizes (smoke test); writes no BENCHMARKS.md unless --out is given
  --only=a,b         sections: ${SECTIONS.join(', ')}
  --out=FILE         where to write the markdown report (default BENCHMARKS.md for full runs)
  --json=FILE        also write every figure as JSON
  --no-anchors       Feedpulse only (skip Sentry, PostHog, Segment, RudderStack)
Anchors come from bench/node_modules: cd bench && npm ci`;
