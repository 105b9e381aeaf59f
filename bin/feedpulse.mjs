#!/usr/bin/env node
// `npx feedpulse`: the collector, the live dashboard and the demo shop in one process, configured by
// the environment (see --help). The work is in cli.mjs, which `npm start` in a clone shares.
import { runCli } from './cli.mjs';

await runCli(process.argv.slice(2));
