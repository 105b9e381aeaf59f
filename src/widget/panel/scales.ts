// The choices of each rating scale (src/wire/scales.ts): value, accessible name and glyph. Glyphs are
// inline SVG (one stroked path each), so they look the same whatever fonts the device has.
import { h, type ComponentChild } from 'preact';
import type { Scale } from '../../wire/scales';
import type { StringKey, Strings } from '../locales/index';

/** [value, label, drawn content (absent: the label itself is shown, as for NPS numbers)]. */
export type Choice = [value: number, label: string, icon?: ComponentChild];

export const glyph = (d: string, transform?: string) =>
  h('svg', { viewBox: '0 0 24 24', 'aria-hidden': 'true' }, h('path', { d, transform }));

const starPath = 'M12 2l3 6.6 7.2.7-5.4 4.8 1.6 7.1-6.4-3.7-6.4 3.7 1.6-7.1-5.4-4.8L9 8.6z';
const thumbPath = 'M2 10h4v11H2zm6 11h9.3a2 2 0 002-1.6l1.6-7A2 2 0 0019 10h-5.5l.8-4a2.2 2.2 0 00-2.1-2.5L8 10z';

/** A face (eyes as round dots) whose mouth bends from a deep frown (1) through a short flat line (3)
 *  to a broad smile (5): the further from neutral, the deeper and wider, so neighbours differ in two ways. */
const facePath = (value: number) => {
  const away = Math.abs(value - 3);
  return `M2.5 12a9.5 9.5 0 1019 0 9.5 9.5 0 10-19 0M9 9.5h.01M15 9.5h.01M${9 - away} 16Q12 ${4 + value * 4} ${15 + away} 16`;
};

function choiceFor(scale: Scale, value: number, text: Strings): Choice {
  if (scale === 'nps') return [value, String(value)];
  // Thumbs down is the same glyph turned over.
  if (scale === 'thumbs') return value ? [value, text.thumbsUp, glyph(thumbPath)] : [value, text.thumbsDown, glyph(thumbPath, 'rotate(180 12 12)')];
  if (scale === 'emoji') return [value, text[`emoji${value}` as StringKey], glyph(facePath(value))];
  return [value, value === 1 ? text.star : text.stars.replace('{n}', String(value)), glyph(starPath)];
}

/** The choices from `min` to `max`, the scale's range (Settings.range). */
export function choicesFor(scale: Scale, [min, max]: readonly [number, number], text: Strings): Choice[] {
  return Array.from({ length: max - min + 1 }, (_, i) => choiceFor(scale, min + i, text));
}
