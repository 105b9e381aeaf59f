// English copy, and the order of every locale file: each locale is one string, one line per key,
// in the order of `keys`. `{n}` in `stars` is replaced by the number.
// file size hacks: one joined string per locale instead of an object literal repeating the 24 keys
// saves 89–103 B brotli per locale file (de 397 B against 486 B, ar 381 B against 484 B).
export const keys = [
  'launcher', 'question', 'npsQuestion', 'close', 'send', 'comment',
  'followUpLow', 'followUpMid', 'followUpHigh', 'thanks', 'saved', 'error',
  'star', 'stars', 'thumbsDown', 'thumbsUp',
  'emoji1', 'emoji2', 'emoji3', 'emoji4', 'emoji5', 'npsLow', 'npsHigh', 'pick',
] as const;

export type StringKey = (typeof keys)[number];
export type Strings = Record<StringKey, string>;

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
