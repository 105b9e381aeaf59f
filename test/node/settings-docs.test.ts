// The docs' settings tables and the settings tables in code state the same options, variables and
// defaults: docs/collector.md and the collector's (src/collector/options.ts), docs/dashboard.md and
// the server's (src/consumer/settings.ts). A change to one without the other fails here.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { COLLECTOR_SETTINGS, SINK_SETTINGS, resolveOptions } from '../../src/collector/options';
import { SERVER_SETTINGS, resolveServerSettings } from '../../src/consumer/settings';

interface DocRow { option: string; env: string | undefined; shown: string }

/** The rows of the `| Option | Env | Default | Meaning |` table. */
function docRows(markdown: string): DocRow[] {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => /^\| Option \| Env \| Default \| Meaning \|$/.test(l));
  expect(start, 'the settings table in docs/collector.md').toBeGreaterThan(-1);
  const rows: DocRow[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const [option, env, shown] = line.split(' | ').map((cell) => cell.replace(/^\| /, '').trim());
    rows.push({ option: option!.replace(/`/g, ''), env: /FEEDPULSE_[A-Z_]+/.exec(env!)?.[0], shown: shown! });
  }
  return rows;
}

describe('collector settings: docs and table agree', () => {
  const rows = docRows(readFileSync('docs/collector.md', 'utf8'));
  const table = [...COLLECTOR_SETTINGS, ...SINK_SETTINGS];

  it('every setting with a variable or a stated default is in the docs, with the same variable and default', () => {
    const documented = table.filter((s) => s.env || s.shown !== '–');
    expect(documented.length).toBeGreaterThan(15);
    for (const setting of documented) {
      const row = rows.find((r) => r.option === setting.option);
      expect(row, `docs row for ${setting.option}`).toBeDefined();
      expect({ option: setting.option, env: row!.env, shown: row!.shown }).toEqual({ option: setting.option, env: setting.env, shown: setting.shown });
    }
  });

  it('every variable the docs name in the table is one the collector reads', () => {
    const envs = new Set(table.map((s) => s.env).filter(Boolean));
    const named = rows.map((r) => r.env).filter((e): e is string => e !== undefined);
    expect(named.length).toBeGreaterThan(10);
    for (const env of named) expect(envs, env).toContain(env);
  });

  it('the sink variables reach sinkOptions, checked, and an option in code wins', () => {
    const env = { FEEDPULSE_AMQP_QUEUE: 'q1', FEEDPULSE_AMQP_QUEUE_MAX_LENGTH: '50', FEEDPULSE_AMQP_MESSAGE_TTL_MS: '0', FEEDPULSE_NATS_MAX_AGE_MS: '3600000', FEEDPULSE_NATS_MAX_BYTES: '1048576' };
    const given = { sinkOptions: { amqp: { exchange: 'x', queueBounds: { maxLength: 7 } }, nats: { stream: 'S' } } };
    expect(resolveOptions(given, env).sinkOptions).toEqual({
      amqp: { exchange: 'x', queue: 'q1', queueBounds: { maxLength: 7, messageTtlMs: 0 } },
      nats: { stream: 'S', maxAgeMs: 3_600_000, maxBytes: 1_048_576 },
    });
    // The caller's object is not changed.
    expect(given.sinkOptions.amqp).toEqual({ exchange: 'x', queueBounds: { maxLength: 7 } });
    expect(resolveOptions({}, {}).sinkOptions).toEqual({});
    expect(() => resolveOptions({}, { FEEDPULSE_NATS_MAX_BYTES: '10GB' })).toThrow(/FEEDPULSE_NATS_MAX_BYTES: "10GB" is not a whole number of bytes ≥ 0/);
    expect(() => resolveOptions({ sinkOptions: { amqp: { queueBounds: { maxLength: -1 } } } }, {})).toThrow(/sinkOptions\.amqp\.queueBounds\.maxLength: -1 is not a whole number ≥ 0/);
  });
});

describe('feedpulse --help', () => {
  // install.md and the README send a new user to --help for every setting: it must name each
  // variable the server and the collector read.
  it('names every variable the server, the collector and its sinks read', () => {
    const help = spawnSync(process.execPath, ['bin/feedpulse.mjs', '--help'], { encoding: 'utf8' }).stdout;
    const listed = new Set([...help.matchAll(/^ {2}([A-Z][A-Z0-9_]+) /gm)].map((m) => m[1]));
    const read = [...Object.values(SERVER_SETTINGS), ...COLLECTOR_SETTINGS, ...SINK_SETTINGS].map((s) => s.env).filter((e): e is string => !!e);
    expect(read.length).toBeGreaterThan(25);
    expect(read.filter((env) => !listed.has(env))).toEqual([]);
  });
});

describe('server settings: docs/dashboard.md and the table agree', () => {
  const lines = readFileSync('docs/dashboard.md', 'utf8').split('\n');
  const start = lines.findIndex((l) => l === '| Variable | Default | Meaning |');
  const rows = new Map<string, string>();
  const named: string[] = [];
  for (const line of lines.slice(start + 2)) {
    if (!line.startsWith('|')) break;
    const [variable, shown] = line.split(' | ').map((cell) => cell.replace(/^\| /, '').trim());
    named.push(variable!.replace(/`/g, ''));
    rows.set(named[named.length - 1]!, shown!);
  }

  it('the same variables, with the same defaults, each in one row', () => {
    expect(start).toBeGreaterThan(-1);
    expect(named.filter((v, i) => named.indexOf(v) !== i), 'variables with two rows').toEqual([]);
    const table = new Map(Object.values(SERVER_SETTINGS).map((s) => [s.env, s.shown]));
    expect(table.size).toBe(Object.keys(SERVER_SETTINGS).length);
    expect([...rows.keys()].sort()).toEqual([...table.keys()].sort());
    for (const [env, shown] of table) expect({ env, shown: rows.get(env!) }).toEqual({ env, shown });
  });

  it('resolves once against the given env: options win, bad values stop with their name', () => {
    const settings = resolveServerSettings({ port: 0 }, { PORT: '9000', FEEDPULSE_SIMULATE: 'off', FEEDPULSE_CONSUMER_NAME: ' b ', FEEDPULSE_MAX_CONNECTIONS_PER_IP: 'off' });
    expect(settings).toMatchObject({ port: 0, simulate: false, consumerName: 'b', maxConnectionsPerIp: false, dataDir: '.feedpulse', host: undefined });
    expect(resolveServerSettings({}, {}).port).toBe(8080);
    expect(() => resolveServerSettings({}, { PORT: '70000' })).toThrow('PORT: "70000" is not a port number (0–65535)');
    expect(() => resolveServerSettings({}, { FEEDPULSE_WEBHOOK_URL: 'ftp://x' })).toThrow(/FEEDPULSE_WEBHOOK_URL: a ftp: URL/);
    expect(() => resolveServerSettings({}, { FEEDPULSE_ALERTS_KEEP: 'many' })).toThrow(/FEEDPULSE_ALERTS_KEEP must be a positive whole number/);
  });
});
