// Compile-time checks of init()'s config, run by `npm run typecheck` (tsconfig includes test/):
// each @ts-expect-error line must be a type error, or tsc fails with "Unused '@ts-expect-error'".
import type { InitConfig, StringKey } from '../../src/widget/index';
import type { FeedpulseClient } from '../../src/core/types';

const base = { endpoint: '/v1/events', project: 'shop-web' };
declare const client: FeedpulseClient;

export const valid: InitConfig[] = [
  { ...base, trigger: 'button' },
  { ...base, trigger: 'manual' },
  { ...base, trigger: 'exit' },
  { ...base, trigger: 'delay:5' },
  { ...base, trigger: 'delay:2.5s' },
  { ...base, trigger: 'scroll:50' },
  { ...base, trigger: 'scroll:50%' },
  { ...base, trigger: 'selector:#help' },
  { ...base, strings: { send: 'Go', thanks: 'Merci' } },
  { client, project: 'shop-web', scale: 'nps' },
];

export const wrong: InitConfig[] = [
  // @ts-expect-error a typo in the trigger kind
  { ...base, trigger: 'buton' },
  // @ts-expect-error a delay that is not a number
  { ...base, trigger: 'delay:five' },
  // @ts-expect-error the kind without its argument
  { ...base, trigger: 'scroll' },
  // @ts-expect-error a string key that does not exist
  { ...base, strings: { sned: 'Go' } },
  // @ts-expect-error a string that is not text
  { ...base, strings: { send: 5 } },
  // @ts-expect-error the client without the project (the widget's `once` memory is per project)
  { client, scale: 'nps' },
  // @ts-expect-error no client and no endpoint
  { project: 'shop-web' },
];

// Every key of `strings` is a StringKey.
export const keys: StringKey[] = ['send', 'thanks', 'saved', 'npsLow'];
