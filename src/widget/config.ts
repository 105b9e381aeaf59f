// What the widget accepts on top of the SDK config: from `init(config)` (npm) or parsed from the
// script tag's data attributes (src/embed). Raw strings are validated where they are used, with one
// console.warn naming the setting and the default used.
import type { ClientConfig, FeedpulseClient, Scale } from '../core/types';
import type { StringKey } from './locales/index';

export type Position = 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left';
export type Theme = 'light' | 'dark' | 'auto';
/** When the panel opens on its own (docs/widget.md, "`init(config)`"): a typo is a type error. The
 *  script tag's attributes are checked at run time (one warning, then `button`). */
export type Trigger = 'button' | 'manual' | 'exit' | `delay:${number}` | `delay:${number}s`
  | `scroll:${number}` | `scroll:${number}%` | `selector:${string}`;

export interface FollowUpQuestions {
  /** Asked after a low score (NPS 0–6, stars/emoji 1–2, thumbs down). */
  low?: string;
  /** Asked after a middle score (NPS 7–8, stars/emoji 3). */
  mid?: string;
  /** Asked after a high score (NPS 9–10, stars/emoji 4–5, thumbs up). */
  high?: string;
}

export interface WidgetConfig {
  scale?: Scale;
  question?: string;
  position?: Position;
  theme?: Theme;
  /** A CSS colour for buttons and selection. */
  accent?: string;
  /** `auto` (navigator.language) or a BCP 47 tag such as `de`, `ar-EG`. */
  locale?: string;
  /** `button` | `manual` | `delay:<s>` | `scroll:<%>` | `exit` | `selector:<css>`. */
  trigger?: Trigger;
  /** URL match rule for pages where the widget may open, e.g. `/checkout*,/cart`. */
  pages?: string;
  /** Don't ask again for this many days after an answer. */
  once?: number;
  followUp?: FollowUpQuestions;
  /**
   * The BCP 47 language of your own texts (`question`, `followUp`, `strings`) when it is not the
   * widget's `locale`, e.g. English follow-ups in an Arabic widget: they get this `lang`, so screen
   * readers pronounce them right. They always get `dir="auto"`.
   */
  customLocale?: string;
  /** Overrides for any UI string, by key (docs/widget.md, "Languages and string keys"). */
  strings?: Partial<Record<StringKey, string>>;
}

/** init()'s config: the SDK's settings and the widget's; or the widget's, the project and `client`,
 *  a client this page already made with createClient(), which the widget then uses (one page, one
 *  client; the project keys the widget's `once` memory). */
export type InitConfig = (ClientConfig & WidgetConfig & { client?: undefined })
  | (WidgetConfig & Pick<ClientConfig, 'project'> & { client: FeedpulseClient });
