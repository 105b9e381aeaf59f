// Every scale submitted by keyboard only and by mouse reaches the endpoint with the right rating,
// scale and comment; Escape closes and focus returns; Tab stays inside the dialog; RTL mirrors arrows.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, launchChromium } from '../helpers/browser';
import { startEndpoint, type TestEndpoint } from '../helpers/endpoint';
import { feedbackReceived, focused, widgetPage, widgetBuilt, SCALES, SCALE_NAMES } from './widget-harness';

describe.skipIf(!hasChromium || !widgetBuilt)('widget submit (Chromium, real build)', () => {
  let browser: Browser;
  let ep: TestEndpoint;
  beforeAll(async () => { [browser, ep] = await Promise.all([launchChromium(), startEndpoint()]); });
  afterAll(async () => { await browser?.close(); await ep?.close(); });

  /** Tabs from the top of the page until the launcher has focus. */
  async function tabToLauncher(page: Page) {
    for (let i = 0; i < 6 && (await focused(page)) !== 'Feedback'; i++) await page.keyboard.press('Tab');
    expect(await focused(page)).toBe('Feedback');
  }
  const statusText = (page: Page) => page.getByRole('status').textContent();

  for (const scale of SCALE_NAMES) {
    const { names, values } = SCALES[scale];
    const target = names.length - 2; // the second-to-last choice: needs several arrow presses

    it(`${scale}: keyboard only, from Tab to Send`, async () => {
      const page = await widgetPage(browser, ep, { scale, project: `kbd-${scale}` });
      await tabToLauncher(page);
      await page.keyboard.press('Enter');
      await expect.poll(() => page.getByRole('dialog').isVisible()).toBe(true);
      expect(await focused(page)).toBe(names[0]); // focus moved into the radio group
      for (let i = 0; i < target; i++) await page.keyboard.press('ArrowRight');
      await page.keyboard.press('Space');
      expect(await focused(page)).toBe(names[target]);
      expect(await page.getByRole('radio', { name: names[target], exact: true }).getAttribute('aria-checked')).toBe('true');
      expect(await page.getByRole('radio', { checked: true }).count()).toBe(1);
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe('textbox');
      await page.keyboard.type(`keyboard ${scale}`);
      await page.keyboard.press('Tab');
      expect(await focused(page)).toBe('Send');
      await page.keyboard.press('Enter');
      await expect.poll(() => statusText(page)).toContain('Thank you');
      await expect.poll(() => feedbackReceived(ep).filter((f) => f.comment === `keyboard ${scale}`)).toEqual([
        { rating: values[target], scale, comment: `keyboard ${scale}` },
      ]);
      await page.context().close();
    });

    it(`${scale}: mouse`, async () => {
      const page = await widgetPage(browser, ep, { scale });
      await page.getByRole('button', { name: 'Feedback' }).click();
      await page.getByRole('radio', { name: names[1], exact: true }).click();
      await page.getByRole('textbox').fill(`mouse ${scale}`);
      await page.getByRole('button', { name: 'Send' }).click();
      await expect.poll(() => statusText(page)).toContain('Thank you');
      await expect.poll(() => feedbackReceived(ep).filter((f) => f.comment === `mouse ${scale}`)).toEqual([
        { rating: values[1], scale, comment: `mouse ${scale}` },
      ]);
      await page.context().close();
    });
  }

  it('a rating without a comment sends no comment field; Send is disabled until a choice', async () => {
    const page = await widgetPage(browser, ep, { scale: 'thumbs', project: 'no-comment' });
    await page.getByRole('button', { name: 'Feedback' }).click();
    expect(await page.getByRole('button', { name: 'Send' }).isDisabled()).toBe(true);
    await page.getByRole('radio', { name: 'Thumbs down' }).click();
    await page.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => ep.received.some((r) => r.body.includes('"no-comment"') && r.body.includes('"feedback"'))).toBe(true);
    const sent = ep.received.filter((r) => r.body.includes('"no-comment"')).flatMap((r) => (r.json as { events: { type: string; data: object }[] }).events);
    expect(sent.filter((e) => e.type === 'feedback').map((e) => e.data)).toEqual([{ rating: 0, scale: 'thumbs' }]);
    await page.context().close();
  });

  it('Escape closes and focus returns to the launcher; Tab and Shift+Tab stay inside', async () => {
    const page = await widgetPage(browser, ep, {});
    await tabToLauncher(page);
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('dialog', { name: 'How was your experience?' }).isVisible()).toBe(true);
    expect(await page.locator('feedpulse-widget dialog').evaluate((d) => d.matches(':modal'))).toBe(true);
    await page.keyboard.press('ArrowRight'); // a choice enables Send: 4 stops (radio, textbox, Send, Close)
    const seen: (string | null)[] = [];
    for (let i = 0; i < 8; i++) { await page.keyboard.press('Tab'); seen.push(await focused(page)); }
    expect(seen).toEqual(['textbox', 'Send', 'Close', '2 stars', 'textbox', 'Send', 'Close', '2 stars']);
    await page.keyboard.press('Shift+Tab');
    expect(await focused(page)).toBe('Close');
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').isVisible()).toBe(false);
    await expect.poll(() => focused(page)).toBe('Feedback');
    // Reopened, the panel starts afresh.
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('dialog').isVisible()).toBe(true);
    expect(await page.getByRole('radio', { checked: true }).count()).toBe(0);
    await page.context().close();
  });

  // The browser closes a <dialog> at once but fires its `close` event only at the next animation
  // frame: an open() in between (a quick click on the launcher, or close() then open() in one task)
  // must still open the panel, and the late `close` event must not shut the reopened one.
  it('reopens when open() comes before the dialog\'s close event (native close, then open in one task)', async () => {
    const page = await widgetPage(browser, ep, {});
    const fp = () => (window as unknown as { fp: { open(): void; close(): void } }).fp;
    await page.evaluate(`(${fp})().open()`);
    await expect.poll(() => page.getByRole('dialog').isVisible()).toBe(true);
    await page.getByRole('radio', { name: '4 stars' }).click();
    await page.getByRole('textbox').fill('typed before the close');
    // The native close (what Escape and light dismiss do), then open() before any frame runs.
    await page.evaluate(`document.querySelector('feedpulse-widget').shadowRoot.querySelector('dialog').close(); (${fp})().open()`);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 50)))));
    expect(await page.getByRole('dialog').isVisible()).toBe(true);
    expect(await page.getByRole('radio', { checked: true }).count()).toBe(0); // afresh
    expect(await page.getByRole('textbox').inputValue()).toBe('');
    // close() then open() in one task: open, afresh.
    await page.getByRole('radio', { name: '2 stars' }).click();
    await page.getByRole('textbox').fill('typed again');
    await page.evaluate(`(${fp})().close(); (${fp})().open()`);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 50)))));
    expect(await page.getByRole('dialog').isVisible()).toBe(true);
    expect(await page.getByRole('radio', { checked: true }).count()).toBe(0);
    expect(await page.getByRole('textbox').inputValue()).toBe('');
    // From the keyboard: Escape and Enter on the launcher sent back to back reopen the panel.
    await page.evaluate(`(${fp})().close()`);
    await page.getByRole('button', { name: 'Feedback' }).focus();
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('dialog').isVisible()).toBe(true);
    await Promise.all([page.keyboard.press('Escape'), page.keyboard.press('Enter')]);
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(r, 50)))));
    expect(await page.getByRole('dialog').isVisible()).toBe(true);
    await page.keyboard.press('Escape');
    await expect.poll(() => page.getByRole('dialog').isVisible()).toBe(false);
    await expect.poll(() => focused(page)).toBe('Feedback');
    await page.context().close();
  });

  it('a click outside the panel closes it (light dismiss) and focus returns to the launcher', async () => {
    const page = await widgetPage(browser, ep, {});
    await page.getByRole('button', { name: 'Feedback' }).click();
    await expect.poll(() => page.getByRole('dialog').isVisible()).toBe(true);
    await page.mouse.click(20, 20);
    await expect.poll(() => page.getByRole('dialog').isVisible()).toBe(false);
    await expect.poll(() => focused(page)).toBe('Feedback');
    await page.context().close();
  });

  it('open() from a host button: Close returns focus to that button', async () => {
    const page = await widgetPage(browser, ep, { trigger: 'manual' });
    expect(await page.getByRole('button', { name: 'Feedback' }).count()).toBe(0);
    await page.locator('#host-button').focus();
    await page.evaluate(() => (window as unknown as { fp: { open(): void } }).fp.open());
    await expect.poll(() => page.getByRole('dialog').isVisible()).toBe(true);
    await page.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => page.getByRole('dialog').isVisible()).toBe(false);
    await expect.poll(() => focused(page)).toBe('Host button');
    await page.evaluate(() => (window as unknown as { fp: { open(): void } }).fp.open());
    await expect.poll(() => page.getByRole('dialog').isVisible()).toBe(true);
    await page.evaluate(() => (window as unknown as { fp: { close(): void } }).fp.close());
    await expect.poll(() => page.getByRole('dialog').isVisible()).toBe(false);
    await page.context().close();
  });

  it('RTL (Arabic): arrows are mirrored and the layout runs right to left', async () => {
    const page = await widgetPage(browser, ep, { locale: 'ar', scale: 'stars' });
    await page.getByRole('button', { name: 'ملاحظات' }).click();
    const radios = page.getByRole('radio');
    await expect.poll(() => focused(page)).toBe('نجمة واحدة');
    await page.keyboard.press('ArrowLeft'); // forward in RTL
    expect(await radios.nth(1).getAttribute('aria-checked')).toBe('true');
    await page.keyboard.press('ArrowRight'); // back
    expect(await radios.nth(0).getAttribute('aria-checked')).toBe('true');
    const first = (await radios.nth(0).boundingBox())!;
    const last = (await radios.nth(4).boundingBox())!;
    expect(first.x).toBeGreaterThan(last.x); // 1 star on the right
    const close = (await page.getByRole('button', { name: 'إغلاق' }).boundingBox())!;
    const title = (await page.locator('feedpulse-widget h2').boundingBox())!;
    expect(close.x).toBeLessThan(title.x); // close button on the left
    const send = (await page.getByRole('button', { name: 'إرسال' }).boundingBox())!;
    const box = (await page.getByRole('textbox').boundingBox())!;
    expect(Math.round(send.x)).toBe(Math.round(box.x)); // Send at the start edge: the left
    expect(await page.locator('feedpulse-widget .root').getAttribute('dir')).toBe('rtl');
    await page.context().close();
  });

  it('follow-up question follows the score (defaults and config.followUp)', async () => {
    const page = await widgetPage(browser, ep, { scale: 'nps', followUp: { high: 'What do you love?' } });
    await page.getByRole('button', { name: 'Feedback' }).click();
    await expect.poll(() => page.getByRole('dialog', { name: 'How likely are you to recommend us to a friend or colleague?' }).count()).toBe(1);
    await expect.poll(() => page.getByRole('textbox', { name: 'Tell us more (optional)' }).count()).toBe(1);
    await page.getByRole('radio', { name: '3', exact: true }).click();
    await expect.poll(() => page.getByRole('textbox', { name: 'What went wrong?' }).count()).toBe(1);
    await page.getByRole('radio', { name: '7', exact: true }).click();
    await expect.poll(() => page.getByRole('textbox', { name: 'What could we do better?' }).count()).toBe(1);
    await page.getByRole('radio', { name: '10', exact: true }).click();
    await expect.poll(() => page.getByRole('textbox', { name: 'What do you love?' }).count()).toBe(1);
    await page.context().close();
  });
});
