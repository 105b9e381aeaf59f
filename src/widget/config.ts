// What the widget accepts on top of the SDK config: from `init(config)` (npm) or parsed from the
// script tag's data attributes (src/embed). Raw strings are validated where they are used, with one
// console.warn naming the setting and the default used.
import type { ClientConfig, Scale } from '../core/types';

export type Position = 'bottom-right' | 'bottom-left' | 'top-right' | 'top-left';
export type Theme = 'light' | 'dark' | 'auto';

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
  /** `button` | `manual` | `delay:<s>` | `scroll:<%>` | `exit` | `selector:<css>` (CONTRACT §2). */
  trigger?: string;
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
  /** Overrides for any UI string, by key (see src/widget/locales). */
  strings?: Record<string, string>;
}

export type InitConfig = ClientConfig & WidgetConfig;
