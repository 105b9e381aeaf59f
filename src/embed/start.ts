// Script-tag start-up: read this tag's data attributes, init() at once (the widget itself waits for
// <body>), and publish the client as window.feedpulse, replaying a snippet's queued calls. init()
// validates every value and warns with the setting's key (`feedpulse: sampleRate "2" is not valid;
// using 1`); while it runs, console.warn is wrapped to name the attribute instead (`data-sample-rate`),
// so each bad attribute gives exactly one warning naming it. Nothing here throws into the host page.
import type { FeedpulseClient } from '../core/types';
import type { InitConfig } from '../widget/config';
import { readAttributes } from './attributes';
import { findOwnScript } from './script';
import { publish } from './stub';

export function startEmbed(init: (config: InitConfig) => FeedpulseClient): void {
  const queued = (window as { feedpulse?: unknown }).feedpulse;
  const warn = console.warn;
  if (queued && !Array.isArray(queued)) {
    warn('feedpulse: the script tag is on the page twice; ignoring this one');
    return;
  }
  let client: FeedpulseClient | undefined;
  try {
    const [config, names] = readAttributes(findOwnScript());
    console.warn = (msg: unknown, ...rest: unknown[]) => {
      const text = String(msg).replace(/^(feedpulse: )([\w.]+)/, (all, start: string, key: string) => (names[key] ? start + names[key] : all));
      warn(text, ...rest);
    };
    client = init(config); // no widget when the SDK refused the config (init() checks)
  } catch (error) {
    warn('feedpulse: could not start; ' + error);
  } finally {
    console.warn = warn;
  }
  publish(client ?? {}, queued);
}
