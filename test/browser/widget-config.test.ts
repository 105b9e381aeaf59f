// init() configuration: bad widget settings warn once each (naming the setting and the default) and
// never throw; a question with HTML shows as text; locales from config or navigator.language; string
// overrides; accent contrast; position; a second init() beside the first. Plus a check (in Node)
// that every locale file has one line per string key.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { readFileSync } from 'node:fs';
import type { Browser, Page } from 'playwright-core';
import { hasChromium, launchChromium } from '../helpers/browser';
import { startEndpoint, type TestEndpoint } from '../helpers/endpoint';
import { BLACK, feedbackReceived, keepWarnings, warningsOf, widgetPage, widgetBuilt } from './widget-harness';
import en, { keys } from '../../src/widget/locales/en';

const LOCALES = ['en', 'de', 'fr', 'es', 'ja', 'ar'];

describe('widget locale files', () => {
  it('knownLocale takes the language subtag and ignores inherited object keys', async () => {
    const { knownLocale } = await import('../../src/widget/locales/index');
    expect(['de-AT', 'FR', 'ar_EG', 'ja', 'en-GB'].map(knownLocale)).toEqual(['de', 'fr', 'ar', 'ja', 'en']);
    expect(['constructor', '__proto__', 'toString', 'pt-BR', ''].map(knownLocale)).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });

  it('the copy names each line of a locale file by its key, the site\'s own texts on top', async () => {
    const { copyFor } = await import('../../src/widget/locales/index');
    const copy = copyFor('en', { send: 'Go' }, false);
    if ('then' in copy) throw new Error('English is inline');
    const lines = en.split('\n');
    expect(Object.keys(copy.text)).toEqual([...keys]);
    expect(copy.text.send).toBe('Go');
    expect(copy.text.close).toBe(lines[keys.indexOf('close')]);
    expect(copy.text.pick).toBe('Choose a rating first');
    const nps = copyFor('en', {}, true);
    if ('then' in nps) throw new Error('English is inline');
    expect(nps.text.question).toBe(lines[keys.indexOf('npsQuestion')]);
  });

  for (const locale of LOCALES) {
    it(`${locale}: one non-empty line per string key`, () => {
      const source = readFileSync(`src/widget/locales/${locale}.ts`, 'utf8');
      const text = source.slice(source.indexOf('export default `') + 16, source.lastIndexOf('`'));
      const lines = text.split('\n');
      expect(lines.length).toBe(keys.length);
      expect(lines.filter((l) => !l.trim())).toEqual([]);
      expect(lines[keys.indexOf('stars')]).toContain('{n}');
    });
  }
});

describe.skipIf(!hasChromium || !widgetBuilt)('widget config (Chromium, real build)', () => {
  let browser: Browser;
  let ep: TestEndpoint;
  beforeAll(async () => { [browser, ep] = await Promise.all([launchChromium(), startEndpoint()]); });
  afterAll(async () => { await browser?.close(); await ep?.close(); });

  const watch = (page: Page) => {
    const seen = { warnings: [] as string[], errors: [] as string[] };
    page.on('console', (m) => { if (m.type() === 'warning' && m.text().includes('feedpulse')) seen.warnings.push(m.text()); });
    page.on('pageerror', (e) => seen.errors.push(String(e)));
    return seen;
  };

  it('bad settings: one warning each naming the setting and the default; no exception; HTML shown as text', async () => {
    const question = '<img src=x onerror="window.pwned=1">Was it <b>good</b>?';
    const real = await widgetPage(browser, ep, {
      scale: 'bogus' as never, theme: 'neon' as never, position: 'middle' as never, accent: 'not-a-colour',
      locale: 'xx', question, strings: { nope: 'x' } as never,
    }, { initScript: keepWarnings });
    expect(await real.evaluate(() => (window as unknown as { fpError?: string }).fpError)).toBeUndefined();
    const warnings = await warningsOf(real);
    const about = (setting: string) => warnings.filter((w) => w.includes(setting));
    expect(warnings).toHaveLength(7);
    expect(about('scale "bogus"')).toEqual(['feedpulse: scale "bogus" is not valid; using "stars"']);
    expect(about('theme "neon"')).toEqual(['feedpulse: theme "neon" is not valid; using "auto"']);
    expect(about('position "middle"')).toEqual(['feedpulse: position "middle" is not valid; using "bottom-right"']);
    expect(about('accent')).toEqual(['feedpulse: accent "not-a-colour" is not valid; using the default colour']);
    expect(about('locale')).toEqual(['feedpulse: locale "xx" is not valid; using "en"']);
    expect(about('strings.nope')).toHaveLength(1);
    expect(about('question')).toEqual(['feedpulse: question contains HTML; it is shown as plain text']);
    await real.getByRole('button', { name: 'Feedback' }).click();
    await expect.poll(() => real.getByRole('dialog', { name: question, exact: true }).count()).toBe(1);
    expect(await real.locator('feedpulse-widget img, feedpulse-widget b').count()).toBe(0);
    expect(await real.evaluate(() => (window as unknown as { pwned?: number }).pwned)).toBeUndefined();
    expect(await real.getByRole('radio').count()).toBe(5); // stars
    await real.context().close();
  });

  for (const [language, launcher, question] of [
    ['fr-FR', 'Votre avis', 'Comment s’est passée votre expérience ?'],
    ['de-DE', 'Feedback', 'Wie war Ihre Erfahrung?'],
    ['es-MX', 'Opinión', '¿Cómo fue tu experiencia?'],
    ['ja-JP', 'フィードバック', 'ご利用の感想はいかがでしたか？'],
    ['ar-EG', 'ملاحظات', 'كيف كانت تجربتك؟'],
    ['pt-BR', 'Feedback', 'How was your experience?'], // no Portuguese copy: English
  ]) {
    it(`locale auto from navigator.language ${language}`, async () => {
      const page = await widgetPage(browser, ep, { locale: 'auto' }, { context: { locale: language } });
      await page.getByRole('button', { name: launcher }).click();
      await expect.poll(() => page.getByRole('dialog', { name: question, exact: true }).count()).toBe(1);
      const lang = await page.locator('feedpulse-widget .root').getAttribute('lang');
      expect(lang).toBe(language.startsWith('pt') ? 'en' : language.slice(0, 2));
      await page.context().close();
    });
  }

  it('config.locale beats navigator.language; config.strings overrides any text', async () => {
    const page = await widgetPage(browser, ep, { locale: 'es', strings: { launcher: 'Cuéntanos', send: 'Mandar' } }, { context: { locale: 'de-DE' } });
    await page.getByRole('button', { name: 'Cuéntanos' }).click();
    await page.getByRole('radio', { name: '3 estrellas' }).click();
    expect(await page.getByRole('button', { name: 'Mandar' }).isEnabled()).toBe(true);
    await page.context().close();
  });

  it('a light accent gets dark text (contrast); position top-left', async () => {
    const page = await widgetPage(browser, ep, { accent: '#ffd400', position: 'top-left' });
    const launcher = page.getByRole('button', { name: 'Feedback' });
    const style = await launcher.evaluate((el) => {
      const r = el.getBoundingClientRect();
      return { bg: getComputedStyle(el).backgroundColor, color: getComputedStyle(el).color, left: r.left, top: r.top };
    });
    expect(style).toEqual({ bg: 'rgb(255, 212, 0)', color: expect.toBeOneOf(BLACK), left: 16, top: 16 });
    await page.context().close();
  });

  it('host CSS can theme through --feedpulse-accent and --feedpulse-radius', async () => {
    const page = await widgetPage(browser, ep, {}, { csp: false, head: '<style>feedpulse-widget{--feedpulse-accent:#0a7d32;--feedpulse-radius:2px}</style>' });
    const launcher = page.getByRole('button', { name: 'Feedback' });
    await launcher.click();
    const panelRadius = await page.locator('feedpulse-widget .panel').evaluate((el) => getComputedStyle(el).borderTopLeftRadius);
    expect(panelRadius).toBe('2px');
    // Send wears the accent once it can send (before a rating it is muted, see widget-a11y-states).
    await page.getByRole('radio').first().click();
    expect(await page.getByRole('button', { name: 'Send' }).evaluate((el) => getComputedStyle(el).backgroundColor)).toBe('rgb(10, 125, 50)');
    await page.context().close();
  });

  it('no endpoint: the SDK is disabled (it warns) and no widget is mounted; nothing throws', async () => {
    const page = await widgetPage(browser, ep, { endpoint: '' }, { initScript: keepWarnings, waitForWidget: false });
    expect(await page.evaluate(() => (window as unknown as { fpError?: string }).fpError)).toBeUndefined();
    expect(await page.locator('feedpulse-widget').count()).toBe(0);
    expect(await warningsOf(page)).toEqual([expect.stringMatching(/endpoint.*disabled/)]);
    await page.evaluate(() => { const fp = (window as unknown as { fp: { open(): void; close(): void } }).fp; fp.open(); fp.close(); });
    expect(await page.locator('feedpulse-widget').count()).toBe(0);
    await page.context().close();
  });

  it('launcher follows the pages rule across SPA route changes', async () => {
    const page = await widgetPage(browser, ep, { pages: '/shop/*' });
    const launchers = () => page.getByRole('button', { name: 'Feedback' }).count();
    expect(await launchers()).toBe(0); // /widget-N.html is not under /shop
    await page.evaluate(() => history.pushState({}, '', '/shop/boots'));
    await expect.poll(launchers).toBe(1);
    await page.evaluate(() => history.pushState({}, '', '/about'));
    await expect.poll(launchers).toBe(0);
    await page.evaluate(() => history.back());
    await expect.poll(launchers).toBe(1);
    await page.context().close();
  });

  it('consent pending: no widget until setConsent(granted), then the answer is kept; pending again takes it away', async () => {
    const page = await widgetPage(browser, ep, { consent: 'pending', scale: 'thumbs', question: 'Consent?' },
      { csp: false, waitForWidget: false, initScript: keepWarnings });
    const widgets = () => page.locator('feedpulse-widget').count();
    await page.waitForTimeout(300);
    expect(await widgets()).toBe(0);
    await page.evaluate(() => (window as unknown as { fp: { open(): void } }).fp.open());
    expect(await warningsOf(page)).toEqual(['feedpulse: open() does nothing while consent is pending (setConsent)']);
    await page.evaluate(() => (window as unknown as { fp: { setConsent(v: string): void } }).fp.setConsent('granted'));
    await page.getByRole('button', { name: 'Feedback' }).click();
    const dialog = page.getByRole('dialog', { name: 'Consent?' });
    await dialog.getByRole('radio', { name: 'Thumbs up' }).click();
    await dialog.getByRole('button', { name: 'Send' }).click();
    await expect.poll(() => feedbackReceived(ep).filter((f) => f.scale === 'thumbs' && f.rating === 1).length, { timeout: 10_000 }).toBe(1);
    await page.evaluate(() => (window as unknown as { fp: { setConsent(v: string): void } }).fp.setConsent('pending'));
    await expect.poll(widgets).toBe(0);
    await page.context().close();
  });

  it('a project the collector would refuse: the SDK is off with one warning, and no widget', async () => {
    const page = await widgetPage(browser, ep, { project: 'shop.example.com' }, { csp: false, waitForWidget: false, initScript: keepWarnings });
    await page.waitForTimeout(300);
    expect(await page.locator('feedpulse-widget').count()).toBe(0);
    expect(await warningsOf(page)).toEqual(['feedpulse: project "shop.example.com" is not valid; the SDK is disabled']);
    await page.context().close();
  });

  it('a second init() on the page mounts a second widget without errors', async () => {
    const page = await widgetPage(browser, ep, { trigger: 'manual' }, { csp: false });
    const seen = watch(page);
    // A string import, so the test runner does not rewrite it.
    await page.evaluate(() => new Function('return import("/dist/index.js")')().then(
      ({ init }: { init(c: object): unknown }) => init({ endpoint: '/v1/events', project: 'second', autocapture: 'off', pageviews: false, scale: 'thumbs' })));
    expect(await page.locator('feedpulse-widget').count()).toBe(2);
    expect(seen.errors).toEqual([]);
    await page.context().close();
  });
});
