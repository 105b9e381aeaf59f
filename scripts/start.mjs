#!/usr/bin/env node
// `npm start`: build when dist/ is missing or older than src/, then run the server command
// (bin/cli.mjs, the same as `npx feedpulse`): the demo shop (/), the live dashboard (/dashboard) and
// the collector (/v1/events) from one process on PORT (default 8080).
import { fileURLToPath } from 'node:url';
import { ensureBuilt } from './ensure-built.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
try {
  ensureBuilt(root, ['dist/consumer.js', 'dist/collector.js', 'dist/feedpulse.min.js']);
} catch (err) {
  console.error(err.message);
  process.exit(1);
}

const { runCli } = await import('../bin/cli.mjs');
// The simulator finds the server by PORT, so the hint carries a port other than its default.
await runCli(process.argv.slice(2), {
  trafficCommand: (server) => `${server.port === 8080 ? '' : `PORT=${server.port} `}npm run simulate`,
});
