// English copy, and the order of every locale file: each locale is one string, one line per key,
// in the order of `keys` (a joined string costs fewer bytes than 6 objects repeating the keys).
// `{n}` in `stars` is replaced by the number.
export const keys = [
  'launcher', 'question', 'npsQuestion', 'close', 'send', 'comment',
  'followUpLow', 'followUpMid', 'followUpHigh', 'thanks', 'saved', 'error',
  'star', 'stars', 'thumbsDown', 'thumbsUp',
  'emoji1', 'emoji2', 'emoji3', 'emoji4', 'emoji5', 'npsLow', 'npsHigh', 'pick',
] as const;

export type StringKey = (typeof keys)[number];
export type Strings = Record<StringKey, string>;

/** The copy as the widget holds it: one text per key, in the order of `keys`. */
export type Texts = readonly string[];

// Positions in `keys` of the texts the UI reads. The widget indexes its copy (`t[S.send]`, constants
// that terser inlines) instead of naming properties: shorter, and the follow-up, thumbs and emoji
// texts become an offset plus a number. test/browser/widget-config.test.ts checks every entry.
export const S = {
  launcher: 0, question: 1, npsQuestion: 2, close: 3, send: 4, comment: 5, followUpLow: 6,
  thanks: 9, saved: 10, error: 11, star: 12, stars: 13, thumbsDown: 14, emoji1: 16, npsLow: 21, npsHigh: 22, pick: 23,
} as const;

export default `Feedback
How was your experience?
How likely are you to recommend us to a friend or colleague?
Close
Send
Tell us more (optional)
What went wrong?
What could we do better?
What did you like most?
Thank you for your feedback!
Thank you! Your feedback is saved and will be sent when you are back online.
Sorry, that did not work. Please try again.
1 star
{n} stars
Thumbs down
Thumbs up
Very dissatisfied
Dissatisfied
Neutral
Satisfied
Very satisfied
Not likely
Very likely
Choose a rating first`;
