// The one-process server's own settings (startFeedpulseServer): its options, their environment
// variables, defaults and checks, as one table (src/server/settings.ts), resolved once at the start.
// docs/dashboard.md's "Settings (environment)" table states the same rows; a test compares them.
// The collector's settings are its own table (src/collector/options.ts).
import { envWholeNumber, httpUrl, onOffEnv } from '../collector/config-values';
import { DEFAULT_DATA_DIR } from '../collector/data-dir';
import { parseMaxConnectionsEnv } from '../collector/server-limits';
import { resolveSetting, type Setting } from '../server/settings';
import { retentionDaysEnv } from './responses/retention';
import { parseRoles, type Role } from './roles';

const row = <T>(setting: Setting<T>): Setting<T> => setting;
const text = (value: unknown): string | undefined => value as string | undefined;
const setText = (value: string | undefined): string | undefined => value || undefined;

/** PORT: a whole number 0–65535 (0: any free port). */
function portEnv(value: string | undefined): number | undefined {
  const n = envWholeNumber(value);
  if (n === undefined) return undefined;
  if (!(n >= 0 && n <= 65535)) throw new Error(`PORT: "${value}" is not a port number (0–65535)`);
  return n;
}

function alertsKeepEnv(value: string | undefined, name: string): number | undefined {
  if (!value?.trim()) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n <= 0) throw new Error(`${name} must be a positive whole number, got "${value}"`);
  return n;
}

export const SERVER_SETTINGS = {
  port: row<number>({ option: 'port', env: 'PORT', shown: '`8080`', fallback: 8080, fromOption: (v) => v as number | undefined, fromEnv: portEnv }),
  // Without a token the dashboard is open, so by default only this machine can reach it.
  host: row<string | undefined>({ option: 'host', env: 'HOST', shown: '`127.0.0.1` without a dashboard token, `0.0.0.0` with one', fallback: undefined, fromOption: text, fromEnv: setText }),
  dataDir: row<string>({ option: 'dataDir', env: 'FEEDPULSE_DATA', shown: `\`${DEFAULT_DATA_DIR}\``, fallback: DEFAULT_DATA_DIR, fromOption: text, fromEnv: setText }),
  broker: row<string | undefined>({ option: 'broker', env: 'FEEDPULSE_BROKER', shown: 'unset = embedded log', fallback: undefined, fromOption: text, fromEnv: setText }),
  dashboardToken: row<string | undefined>({ option: 'dashboardToken', env: 'FEEDPULSE_DASHBOARD_TOKEN', shown: 'unset = open on loopback only', fallback: undefined, fromOption: text, fromEnv: setText }),
  simulate: row<boolean>({
    option: 'simulate', env: 'FEEDPULSE_SIMULATE', shown: 'on', fallback: true, fromOption: (v) => v as boolean | undefined,
    fromEnv: (value, name) => onOffEnv(name, value),
  }),
  // A webhook URL that is not http(s) would show "webhook on" and then fail every delivery.
  webhookUrl: row<string | undefined>({ option: 'webhookUrl', env: 'FEEDPULSE_WEBHOOK_URL', shown: 'unset = no webhook', fallback: undefined, fromOption: (v, n) => httpUrl(n, text(v)), fromEnv: (v, n) => httpUrl(n, v) }),
  alertsFile: row<string | undefined>({ option: 'alertsFile', env: 'FEEDPULSE_ALERTS', shown: '`./feedpulse.alerts.json` if it exists, else built-in rules', fallback: undefined, fromOption: text, fromEnv: setText }),
  publicUrl: row<string | undefined>({ option: 'publicUrl', env: 'FEEDPULSE_PUBLIC_URL', shown: 'unset', fallback: undefined, fromOption: (v, n) => httpUrl(n, text(v)), fromEnv: (v, n) => httpUrl(n, v) }),
  alertsKeep: row<number | undefined>({ option: 'alertsKeep', env: 'FEEDPULSE_ALERTS_KEEP', shown: '`1000`', fallback: undefined, fromOption: (v) => v as number | undefined, fromEnv: alertsKeepEnv }),
  maxConnectionsPerIp: row<number | false | undefined>({ env: 'FEEDPULSE_MAX_CONNECTIONS_PER_IP', shown: '`128`; off with `FEEDPULSE_TRUST_PROXY=1`', fallback: undefined, fromOption: () => undefined, fromEnv: parseMaxConnectionsEnv }),
  consumerName: row<string | undefined>({ env: 'FEEDPULSE_CONSUMER_NAME', shown: '`dashboard`', fallback: undefined, fromOption: () => undefined, fromEnv: (v) => v?.trim() || undefined }),
  databaseUrl: row<string | undefined>({ env: 'FEEDPULSE_DATABASE_URL', shown: 'unset = embedded database in `FEEDPULSE_DATA/db`', fallback: undefined, fromOption: () => undefined, fromEnv: (v) => v?.trim() || undefined }),
  databaseSchema: row<string | undefined>({ env: 'FEEDPULSE_DATABASE_SCHEMA', shown: '`public`', fallback: undefined, fromOption: () => undefined, fromEnv: (v) => v?.trim() || undefined }),
  retentionDays: row<number | undefined>({ option: 'retentionDays', env: 'FEEDPULSE_RETENTION_DAYS', shown: '`90`', fallback: undefined, fromOption: (v) => v as number | undefined, fromEnv: retentionDaysEnv }),
  roles: row<Role[] | undefined>({ env: 'FEEDPULSE_ROLES', shown: '`collector,worker,dashboard`', fallback: undefined, fromOption: () => undefined, fromEnv: (v) => (v?.trim() ? parseRoles(v) : undefined) }),
} as const;

export type ServerSettings = { -readonly [K in keyof typeof SERVER_SETTINGS]: (typeof SERVER_SETTINGS)[K]['fallback'] };

/** Every server setting, checked: a malformed one throws, naming it, before anything starts. */
export function resolveServerSettings(options: object, env: NodeJS.ProcessEnv): ServerSettings {
  return Object.fromEntries(Object.entries(SERVER_SETTINGS).map(([key, setting]) => [key, resolveSetting<unknown>(setting, options, env)])) as ServerSettings;
}
