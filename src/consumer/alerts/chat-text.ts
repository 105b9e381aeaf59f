// Visitor text made safe to put in a chat message (Slack mrkdwn, Mattermost and Discord markdown).
// - Control characters and bidi overrides/isolates (U+202A–202E, U+2066–2069) go: a newline in a
//   one-line field would start a fake second line, and U+202E makes text read backwards.
// - &, < and > become the entities Slack defines, so `<!channel>`, `<@U123>` and `<url|label>` are text.
// - *, _, ~ and ` cannot be escaped in Slack mrkdwn (it has no backslash escape), so they become
//   their full-width look-alikes (＊ ＿ ～ ｀): readable, and markup on no platform. So do [ and ]
//   (［ ］): Mattermost and Discord render [label](url), ![](url) and [label][ref] with a `[ref]: url`
//   line as a link or an image, which would let a comment show a link to anywhere under any label.
// - A zero-width space after `@` in front of a word stops @channel, @here, @everyone, @all (and
//   pings of single users) on Mattermost and Discord; Slack only pings for <!…>, escaped above.
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/g;
const CONTROL_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g;
const BIDI = /[\u202a-\u202e\u2066-\u2069]/g;
const MARKUP: ReadonlyMap<string, string> = new Map([
  ['&', '&amp;'], ['<', '&lt;'], ['>', '&gt;'],
  ['*', '\uff0a'], ['_', '\uff3f'], ['~', '\uff5e'], ['`', '\uff40'], ['[', '\uff3b'], [']', '\uff3d'],
]);
const MARKUP_CHARS = /[&<>*_~`[\]]/g;
const MENTION = /@(?=\w)/g;

const neutral = (s: string): string =>
  s.replace(BIDI, '').replace(MARKUP_CHARS, (c) => MARKUP.get(c) ?? c).replace(MENTION, '@\u200b');

/** A one-line field (path, project, rule detail): control characters become spaces. */
export const chatLine = (s: string): string => neutral(s.replace(/\r\n?|\n/g, ' ').replace(CONTROL, ' '));

/** Multi-line text (a comment): newlines kept (normalised to \n), other control characters dropped. */
export const chatText = (s: string): string => neutral(s.replace(/\r\n?/g, '\n').replace(CONTROL_BUT_NEWLINE, ''));

/** An identifier (an event id) as inline code: copyable as is, since nothing inside code is markup. */
export const chatCode = (s: string): string =>
  `\`${s.replace(CONTROL, ' ').replace(BIDI, '').replace(/`/g, "'").replace(/[&<>]/g, (c) => MARKUP.get(c) ?? c)}\``;
