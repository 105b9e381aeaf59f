// Reads the script tag's data-* attributes into an InitConfig by name alone (data-sample-rate →
// sampleRate, data-string-send → strings.send, data-follow-up-low → followUp.low, data-key → the
// x-feedpulse-key header). Values are not checked here: init() checks each one once (core config,
// widget settings, triggers) and warns with the setting's key; `names` maps those keys back to the
// attribute so start.ts can name the attribute instead. Unknown attributes reach init(), which ignores them.
import type { InitConfig } from '../widget/config';

/** config key (`sampleRate`, `strings.send`) → attribute (`data-sample-rate`, `data-string-send`). */
export type Names = Record<string, string>;

// Attributes whose name starts with one of these prefixes set a key inside a nested setting.
const nested: Record<string, string> = { 'string-': 'strings.', 'follow-up-': 'followUp.' };

/** `sample-rate` → `sampleRate`. */
const camelCase = (name: string) => name.replace(/-(.)/g, (_, letter: string) => letter.toUpperCase());

export function readAttributes(script: Element | null): [InitConfig, Names] {
  const config: Record<string, unknown> = {};
  // Named even when absent: core's "endpoint … is not valid; the SDK is disabled" is about the tag.
  const names: Names = { endpoint: 'data-endpoint', project: 'data-project' };
  for (const { name, value } of script?.attributes ?? []) {
    const match = /^data-(string-|follow-up-)?(.+)/.exec(name);
    if (!match) continue;
    const [, prefix, rest] = match;
    const key = (prefix ? nested[prefix] : '') + camelCase(rest);
    const [top, sub] = key.split('.');
    const text = value.trim();
    names[key] = name;
    // Texts are not checked downstream, and an empty one would blank a label, question or key.
    if (!text && (sub || top === 'question' || top === 'key')) {
      console.warn(`feedpulse: ${name} is empty; using the default`);
    } else if (sub) {
      config[top] ??= {};
      (config[top] as Record<string, string>)[sub] = text;
    } else if (!text && top === 'debug') {
      // A bare `data-debug` means on.
      config.debug = 'true';
    } else {
      config[top] = text;
    }
  }
  const { endpoint, key } = config as Record<string, string | undefined>;
  if (key) {
    config.headers = { 'x-feedpulse-key': key };
    // Page-leave sends (keepalive/beacon) carry no custom headers; the collector also reads `?key=`.
    if (endpoint && config.transport !== 'kafka-rest') config.endpoint = endpoint + (endpoint.includes('?') ? '&' : '?') + 'key=' + encodeURIComponent(key);
  }
  return [config as unknown as InitConfig, names];
}
