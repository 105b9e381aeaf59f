// The demo shop on a server with FEEDPULSE_KEYS: its ratings were refused (401) with nothing said.
// Now the start warns, and the shop opened as /?key=<key for demo-shop> sends the key and is counted.
import { describe, it, expect } from 'vitest';
import { existsSync } from 'node:fs';
import { hasChromium } from '../helpers/browser';
import { useDashboard } from '../helpers/dashboard';

describe.skipIf(!hasChromium || !existsSync('dist/feedpulse.min.js'))('demo shop with write keys (Chromium)', () => {
  const demo = useDashboard('fp-demo-key-', { root: process.cwd(), collector: { log: false } }, { FEEDPULSE_KEYS: 'demo_key:demo-shop,pk_web:shop-web' });

  async function rate(query: string): Promise<number> {
    const context = await demo.browser.newContext();
    try {
      const page = await context.newPage();
      await page.goto(`${demo.server.url.replace('localhost', '127.0.0.1')}/${query}`);
      await page.getByRole('button', { name: 'Feedback' }).click();
      const dialog = page.getByRole('dialog');
      await dialog.getByRole('radio', { name: '4 stars' }).click();
      const answer = page.waitForResponse((r) => r.url().includes('/v1/events') && r.request().method() === 'POST' && (r.request().postData() ?? '').includes('"feedback"'), { timeout: 15_000 });
      await dialog.getByRole('button', { name: 'Send' }).click();
      return (await answer).status();
    } finally { await context.close(); }
  }

  it('the start names the key to open the shop with; with it the rating is stored, without it refused', async () => {
    expect(demo.server.warnings).toEqual(['FEEDPULSE_KEYS is set: open the demo shop as /?key=demo_key so its ratings carry the key.']);
    expect(await rate('?key=demo_key')).toBe(200);
    expect(await rate('')).toBe(401);
  });
});
