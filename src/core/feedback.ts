// The rating scales (src/wire/scales.ts, docs/contract.md "Feedback"), checked in the SDK so a
// wrong feedback() call fails at once with a message naming the value (the collector would refuse
// the event later, where the caller only sees a `drop`). The collector keeps its own check: it trusts no client.
import type { FeedbackInput } from './types';
import { isOnScale } from '../wire/scales';

/** Throws a TypeError (the client warns about those) for what the collector would refuse: a rating
 *  that is not a whole number on the scale (an unknown scale, also an Object.prototype name, has no
 *  range), a comment that is not text, tags that are not up to 20 texts of 1–64
 *  characters. Refused at the call, the caller hears of it; refused by the collector, the rating
 *  would be lost without a word. */
export function checkFeedback({ rating, scale, comment, tags }: FeedbackInput): void {
  const bad = !isOnScale(rating, scale)
    // Quoted when a string, so '4' does not read as the number 4 in the message.
    ? `rating ${typeof rating === 'string' ? `"${rating}"` : rating} is not on the ${scale} scale`
    : comment != null && typeof comment !== 'string' ? 'comment is not text'
    : tags != null && !(Array.isArray(tags) && tags.length < 21 && tags.every((t) => typeof t === 'string' && t && t.length < 65))
      ? 'tags are not up to 20 texts of 1–64 characters'
      : '';
  if (bad) throw TypeError('feedback: ' + bad);
}
