// The npm entry's init(config): the SDK client plus the mounted widget. Widget problems never throw
// into the page: bad settings warn and fall back, a failed mount leaves a working headless client.
import { createClient } from '../core/client';
import type { FeedpulseClient } from '../core/types';
import type { InitConfig } from './config';
import { resolveSettings, type Settings } from './settings';
import { mount, type View } from './mount';
import { armTriggers, type ArmedTriggers } from './triggers';

// Read console.warn at each call: the script tag renames settings to attributes while init() runs.
const warn = (msg: string) => console.warn(msg);

export function init(config: InitConfig): FeedpulseClient {
  // One page, one client: the one given, or a new one (which is the running one of this project
  // when createClient() made that first: it warns and hands that over).
  const client = config.client || createClient(config);
  // The widget is shown only while the SDK is on and consent is granted: a panel that thanks the
  // visitor for feedback the SDK may not keep (refused config, consent pending) would mislead them.
  const consent = () => client.status().consent;
  let settings: Settings | undefined;
  let view: View | undefined;
  let triggers: ArmedTriggers | undefined;
  const fail = (error: unknown) => {
    // Worded like the script tag's own start-up failure; feedback() and track() still work.
    warn('feedpulse: the widget could not start; ' + error);
    settings = undefined;
  };
  const sync = () => {
    try {
      if (consent() !== 'granted') {
        view?.unmount();
        view = undefined;
      } else if (settings && !view) {
        view = mount(settings, client, triggers!, !!config.pages);
      }
    } catch (error) {
      fail(error);
    }
  };
  // Server-side rendering (no DOM): the client alone.
  if (consent() && typeof document !== 'undefined') {
    try {
      // Settings and triggers are checked (and warned about) right here, while the script tag's
      // renaming console.warn is in place, also when the widget waits for consent.
      settings = resolveSettings(config);
      triggers = armTriggers(config, () => view?.open(), warn);
    } catch (error) {
      fail(error);
    }
    sync();
  }
  // The core client is a plain object of closures (no `this`), so a spread keeps every method,
  // including ones added later; the widget replaces the ones it owns.
  return {
    ...client,
    open() {
      if (settings && !view) warn('feedpulse: open() does nothing while consent is pending (setConsent)');
      view?.open();
    },
    close: () => view?.close(),
    setConsent(value) {
      client.setConsent(value);
      sync();
    },
    async shutdown() {
      triggers?.stop();
      view?.unmount();
      settings = view = triggers = undefined;
      await client.shutdown();
    },
  };
}
