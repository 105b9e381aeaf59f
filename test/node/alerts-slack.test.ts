// Visitor text in a webhook message is data: no fake lines, no reversed text, no markup, no pings.
import { describe, expect, it } from 'vitest';
import type { Alert } from '../../src/consumer/alerts/evaluate';
import { slackMessage } from '../../src/consumer/alerts/slack';

const alert = (over: Partial<Alert>): Alert => ({
  id: 'evt-1', project: 'shop-web', anonymousId: 'a1', at: Date.UTC(2026, 0, 1), severity: 'critical',
  matches: [{ rule: 'one-star', type: 'rating', detail: 'rating 1 ≤ 2' }], path: '/checkout', rating: 1, scale: 'stars', ...over,
});
const headlineOf = (text: string) => text.split('\n')[0];

describe('slack message: visitor text', () => {
  it('keeps a newline or control character in page.path out of the headline (no fake second line)', () => {
    const msg = slackMessage(alert({ path: '/x\n:white_check_mark: Feedpulse: all clear\r\u0007' }));
    const headline = headlineOf(msg.text);
    expect(headline).toContain('all clear');
    expect(msg.text.split('\n')).toHaveLength(1);
    expect(msg.text).not.toMatch(/[\u0000-\u001f\u007f-\u009f]/);
  });
  it('strips bidi overrides and isolates from one-line fields and the comment', () => {
    const bidi = '\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069';
    const msg = slackMessage(alert({ path: `/a${bidi}b`, project: `shop${bidi}`, comment: `gpj.exe${bidi}` }));
    expect(JSON.stringify(msg)).not.toMatch(/[\u202a-\u202e\u2066-\u2069]/);
    expect(msg.text).toContain('/ab');
  });
  it('escapes mrkdwn: &, <, >, *, _, ~ and ` are shown, not formatting', () => {
    const msg = slackMessage(alert({ path: '/*bold*_it_~s~`c`<https://evil.example|click>&', comment: '*free* <!here> `rm -rf`' }));
    const all = [msg.text, ...msg.blocks.flatMap((b) => ('text' in b && b.text ? [b.text.text] : []))].join('\n');
    // Our own markup is only the leading "> " quote and the rule name in *…* in the details block.
    expect(headlineOf(msg.text).split(' on ')[1]).not.toMatch(/[*_~`<]/);
    expect(msg.text.split('\n')[1]).toMatch(/^> /);
    expect(msg.text.split('\n')[1].slice(2)).not.toMatch(/[*_~`<>]/);
    expect(all).not.toContain('<https://evil.example');
    expect(all).not.toContain('<!here>');
    expect(msg.text).toContain('&lt;https://evil.example|click&gt;&amp;');
    expect(msg.text).toContain('\uff0abold\uff0a');
  });
  it('makes no markdown link or image of visitor text (Mattermost, Discord): [label](url), ![](url), [label][ref] with [ref]: url', () => {
    const comment = '[open dashboard](https://evil.example/login) ![](https://evil.example/pixel.png)\n[reset password][r]\n[r]: https://evil.example/r';
    const msg = slackMessage(alert({ path: '/[x](https://evil.example)', comment }));
    const all = [msg.text, ...msg.blocks.flatMap((b) => ('text' in b && b.text ? [b.text.text] : []))].join('\n');
    expect(all).not.toMatch(/[[\]]/);
    expect(msg.text).toContain('\uff3bopen dashboard\uff3d(https://evil.example/login)');
  });
  it('neutralises @channel, @here, @everyone, @all and tells Discord to ping nobody', () => {
    const msg = slackMessage(alert({ path: '/@here', comment: '@channel @everyone @all @Here look' }));
    for (const mention of ['@channel', '@everyone', '@here', '@all', '@Here']) expect(msg.text).not.toContain(mention);
    expect(msg.text).toContain('@\u200bchannel');
    expect(msg.allowed_mentions).toEqual({ parse: [] });
  });
  it('still says what fired, with the dashboard link as a link', () => {
    const msg = slackMessage(alert({ comment: 'Payment broken\nsecond line' }), 'https://dash.example/dashboard');
    expect(headlineOf(msg.text)).toBe(':rotating_light: Feedpulse critical: 1★ on /checkout (shop-web) — one-star');
    expect(msg.text).toContain('\n> Payment broken\n> second line');
    expect(JSON.stringify(msg.blocks[2])).toContain('<https://dash.example/dashboard|open dashboard>');
  });
});
