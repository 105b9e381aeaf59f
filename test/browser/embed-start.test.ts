// Script-tag start-up in real Chromium: the async snippet's queue, calls made before the body exists,
// the tag included twice, code run without document.currentScript, and a strict-CSP host page.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { hasChromium, launchChromium } from '../helpers/browser';
import { startEndpoint, type TestEndpoint } from '../helpers/endpoint';
import { BUNDLE, scriptTag, shopPage, started, watchPage } from './embed-harness';

type Ev = { type: string; userId?: string; data: { name?: string; rating?: number } };
type Fp = { feedpulse: { flush(): Promise<unknown>; push(c: unknown[]): void; track(n: string): Promise<void> } };

describe.skipIf(!hasChromium)('script-tag start-up (Chromium)', () => {
  let browser: Browser;
  let endpoint: TestEndpoint;
  let n = 0;
  const events = (): Ev[] => endpoint.received.flatMap((r) => (r.json as { events?: Ev[] })?.events ?? []);
  const named = (name: string) => events().find((e) => e.type === 'track' && e.data.name === name);

  beforeAll(async () => {
    [browser, endpoint] = await Promise.all([launchChromium(), startEndpoint()]);
  });
  afterAll(async () => {
    await browser?.close();
    await endpoint?.close();
  });
  const attrs = () => ({ endpoint: `${endpoint.origin}/v1/events`, project: 'start-test', autocapture: 'off', pageviews: 'false' });

  async function open(html: string, headers?: Record<string, string>, init?: string) {
    const path = `/start-${++n}`;
    endpoint.page(path, html, headers);
    const context = await browser.newContext();
    const page = await context.newPage();
    const watch = watchPage(page);
    if (init) await page.addInitScript(init);
    await page.goto(endpoint.origin + path);
    await started(page);
    return { page, watch, context };
  }

  it('replays the async snippet queue in order and keeps push() working afterwards', async () => {
    const { page, watch, context } = await open(shopPage(scriptTag(attrs())), undefined, `
      window.feedpulse = window.feedpulse || [];
      window.feedpulse.push(['identify', 'u-42']);
      window.feedpulse.push(['track', 'snippet-queued', { n: 1 }]);`);
    await page.waitForSelector('feedpulse-widget', { state: 'attached' });
    await page.evaluate(() => (window as unknown as Fp).feedpulse.push(['track', 'snippet-after']));
    await page.evaluate(() => (window as unknown as Fp).feedpulse.flush());
    await expect.poll(() => named('snippet-after'), { timeout: 10_000 }).toBeTruthy();
    expect(named('snippet-queued')?.userId).toBe('u-42');
    expect(watch.errors).toEqual([]);
    expect(watch.warnings.filter((w) => w.includes('feedpulse'))).toEqual([]);
    await context.close();
  });

  it('a blocking tag in <head>: calls made before <body> exists are queued and delivered', async () => {
    const html = `<!doctype html><html><head><title>Early</title>${scriptTag(attrs(), '')}
      <script>window.__early = window.feedpulse; window.__tracked = window.feedpulse.track('head-early').then(() => 'done');</script>
      </head><body><p>Body</p></body></html>`;
    const { page, watch, context } = await open(html);
    expect(await page.evaluate(() => (window as unknown as { __tracked: Promise<string> }).__tracked)).toBe('done');
    // The object handed out early is the live one.
    expect(await page.evaluate(() => (window as unknown as { __early: unknown }).__early === (window as unknown as Fp).feedpulse)).toBe(true);
    await page.evaluate(() => (window as unknown as Fp).feedpulse.flush());
    await expect.poll(() => named('head-early'), { timeout: 10_000 }).toBeTruthy();
    expect(await page.locator('feedpulse-widget').count()).toBe(1);
    expect(watch.errors).toEqual([]);
    await context.close();
  });

  it('the tag twice: one widget and one warning', async () => {
    const { page, watch, context } = await open(shopPage(scriptTag(attrs()) + scriptTag(attrs())));
    await page.waitForSelector('feedpulse-widget', { state: 'attached' });
    await page.waitForLoadState('load');
    expect(await page.locator('feedpulse-widget').count()).toBe(1);
    const warnings = watch.warnings.filter((w) => w.includes('feedpulse'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('twice');
    expect(watch.errors).toEqual([]);
    await context.close();
  });

  it('without document.currentScript (code injected inline) it finds its tag by query', async () => {
    const placeholder = scriptTag({ ...attrs(), scale: 'emoji' }, 'type="text/x-feedpulse-later"');
    const path = `/start-${++n}`;
    endpoint.page(path, shopPage(placeholder));
    const context = await browser.newContext();
    const page = await context.newPage();
    const watch = watchPage(page);
    await page.goto(endpoint.origin + path);
    await page.addScriptTag({ content: await readFile(`.${BUNDLE}`, 'utf8') });
    await page.getByRole('button', { name: 'Feedback' }).click();
    await expect.poll(() => page.getByRole('radio', { name: 'Very satisfied' }).count()).toBe(1);
    expect(watch.errors).toEqual([]);
    await context.close();
  });

  const STRICT = `default-src 'self'; script-src 'self'; style-src 'self'; connect-src 'self'`;

  /** A page under `csp` with the tag: opens the panel named `question`, picks `choice`, presses
   *  `send`; the rating arrives, with no CSP violation and no page error. */
  async function submitUnderPolicy(csp: string, tag: Record<string, string>, question: string, choice: string, send: string, rating: number) {
    const { page, watch, context } = await open(
      shopPage(scriptTag({ ...attrs(), ...tag }), '', false),
      { 'content-security-policy': csp },
      `window.__violations = []; document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(e.violatedDirective + ' ' + e.blockedURI));`,
    );
    await page.getByRole('button', { name: 'Feedback' }).click();
    const dialog = page.getByRole('dialog', { name: question });
    await dialog.getByRole('radio', { name: choice }).click();
    await dialog.getByRole('button', { name: send }).click();
    await page.evaluate(() => (window as unknown as Fp).feedpulse.flush());
    await expect.poll(() => events().find((e) => e.type === 'feedback' && e.data.rating === rating), { timeout: 10_000 }).toBeTruthy();
    expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
    expect(watch.errors).toEqual([]);
    return { page, context };
  }

  it('works on a strict-CSP page (no inline anything): no violation, the rating arrives', async () => {
    const { context } = await submitUnderPolicy(STRICT, { scale: 'nps', question: 'Would you recommend us?' }, 'Would you recommend us?', '9', 'Send', 9);
    await context.close();
  });

  it('works under Trusted Types (require-trusted-types-for script, no policy allowed), with a lazily loaded locale', async () => {
    // The German question proves the locale file was imported under the policy.
    const { page, context } = await submitUnderPolicy(`${STRICT}; require-trusted-types-for 'script'; trusted-types 'none'`,
      { scale: 'stars', locale: 'de' }, 'Wie war Ihre Erfahrung?', '4 Sterne', 'Senden', 4);
    // The policy is in force: a plain string into an HTML sink is refused (checked last, as it is a violation).
    expect(await page.evaluate(() => { try { document.body.insertAdjacentHTML('beforeend', '<b>x</b>'); return 'allowed'; } catch { return 'refused'; } })).toBe('refused');
    await context.close();
  });
});
