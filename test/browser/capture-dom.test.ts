// Capture modules in real Chromium: selector round-trips, click autocapture privacy rules,
// SPA route detection, identity storage. The modules are bundled from src (test/helpers/capture.ts).
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { launchChromium, hasChromium } from '../helpers/browser';
import { startEndpoint, type TestEndpoint } from '../helpers/endpoint';
import { bundleCapture } from '../helpers/capture';
import type { ClickData } from '../../src/core/types';

type Capture = typeof import('../../src/core/selector') & typeof import('../../src/core/autocapture')
  & typeof import('../../src/core/routes') & typeof import('../../src/core/identity') & typeof import('../../src/core/page');
declare global { interface Window { fpCapture: Capture; clicks: ClickData[]; routes: string[]; detach: () => void } }

let browser: Browser;
let ep: TestEndpoint;
let code: string;

const html = (body: string) => `<!doctype html><html><head><title>capture test</title></head><body>${body}<script>${code}</script></body></html>`;

async function open(body: string, path = '/cap.html'): Promise<Page> {
  ep.page(path, html(body));
  const page = await browser.newPage();
  page.on('pageerror', (e) => { throw e; });
  await page.goto(ep.origin + path);
  return page;
}

describe.skipIf(!hasChromium)('capture modules in Chromium', () => {
  beforeAll(async () => {
    [browser, ep, code] = await Promise.all([launchChromium(), startEndpoint(), bundleCapture()]);
  });
  afterAll(async () => { await browser?.close(); await ep?.close(); });

  describe('cssSelector', () => {
    const fixture = `
      <header><nav><a id="home" href="/">Home</a><a id=":r1:" href="/a">Auto id</a><a id="mui-123456" href="/b">Mui</a></nav></header>
      <main class="css-1x2y3z layout">
        <button data-testid="buy-button">Buy</button>
        <div data-feedpulse-track="promo banner"><span>Promo</span></div>
        <ul class="items"><li><button>One</button></li><li><button>Two</button></li><li><button class="active">Three</button></li></ul>
        <table><tr><td>a</td><td><a href="#x">b</a></td></tr><tr><td>c</td><td><a href="#y">d</a></td></tr></table>
        <section><p id="dup">x</p><p id="dup">y</p></section>
        <div class="card"><div class="card__body sc-bdVaJa"><button class="btn btn-primary">Go</button></div></div>
        <div class="card"><div class="card__body"><button class="btn btn-primary">Go</button></div></div>
        <my-element><button>Custom</button></my-element>
        <svg><g><circle r="1"></circle></g></svg>
        <div data-testid='has "quotes"'><button>Q</button></div>
        <div id="1starts-with-digit"><button>D</button></div>
        <form><input name="q"><input type="submit" value="Search"><select><option>1</option></select></form>
      </main>`;

    it('round-trips every element of a varied page, preferring ids and test ids', async () => {
      const page = await open(fixture);
      const result = await page.evaluate(() => {
        const all = [...document.querySelectorAll('body *')].filter((e) => e.localName !== 'script');
        return all.map((el) => {
          const sel = window.fpCapture.cssSelector(el);
          return { sel, ok: document.querySelector(sel) === el, unique: document.querySelectorAll(sel).length === 1 };
        });
      });
      expect(result.length).toBeGreaterThan(40);
      expect(result.filter((r) => !r.ok)).toEqual([]);
      expect(result.every((r) => r.unique)).toBe(true);
      const sels = result.map((r) => r.sel);
      expect(sels).toContain('#home');
      expect(sels).toContain('[data-testid="buy-button"]');
      expect(sels).toContain('[data-feedpulse-track="promo banner"]');
      // Auto-generated and duplicate ids, hashed and state classes never appear.
      for (const s of sels) expect(s).not.toMatch(/:r1:|mui-123456|#dup|css-1x2y3z|sc-bdVaJa|\.active|#1starts/);
      expect(Math.max(...sels.map((s) => s.length))).toBeLessThan(80);
      await page.close();
    });

    it('round-trips on 30 random DOMs (about 200 elements each), with bounded length', async () => {
      const page = await open('<div id="root"></div>');
      const stats = await page.evaluate(() => {
        let seed = 7;
        const rnd = (n: number) => { seed = (seed * 1103515245 + 12345) & 0x7fffffff; return seed % n; };
        const tags = ['div', 'span', 'a', 'button', 'li', 'ul', 'p', 'section', 'label', 'em'];
        const classes = ['btn', 'card', 'row', 'col-6', 'css-9ab3x', 'is-active', 'title', 'Button_root__x1y2z', 'nav'];
        let failures = 0, total = 0, maxLen = 0;
        for (let round = 0; round < 30; round++) {
          const root = document.getElementById('root')!;
          root.innerHTML = '';
          const nodes: Element[] = [root];
          for (let i = 0; i < 200; i++) {
            const parent = nodes[rnd(nodes.length)];
            const el = document.createElement(tags[rnd(tags.length)]);
            for (let c = rnd(3); c--;) el.classList.add(classes[rnd(classes.length)]);
            if (rnd(10) === 0) el.id = ['x', ':r' + i + ':', 'f' + i, 'user-' + rnd(99999)][rnd(4)];
            if (rnd(15) === 0) el.setAttribute('data-testid', 't' + rnd(20));
            parent.appendChild(el);
            nodes.push(el);
          }
          for (const el of nodes.slice(1)) {
            const sel = window.fpCapture.cssSelector(el);
            total++;
            maxLen = Math.max(maxLen, sel.length);
            if (document.querySelector(sel) !== el) failures++;
          }
        }
        return { failures, total, maxLen };
      });
      expect(stats.total).toBe(6000);
      expect(stats.failures).toBe(0);
      console.log(`selector fuzz: ${stats.total} elements, ${stats.failures} failures, longest ${stats.maxLen} chars`);
      expect(stats.maxLen).toBeLessThan(400);
      await page.close();
    });

    it('keeps the selector short on a deep page', async () => {
      const page = await open('<div id="deep"></div>');
      const sel = await page.evaluate(() => {
        let p = document.getElementById('deep')!;
        for (let i = 0; i < 60; i++) { const d = document.createElement('div'); p.appendChild(d); p = d; }
        const b = document.createElement('button');
        b.className = 'deep-button';
        p.appendChild(b);
        const s = window.fpCapture.cssSelector(b);
        return { s, ok: document.querySelector(s) === b };
      });
      expect(sel).toEqual({ s: 'button', ok: true });
      await page.close();
    });
  });

  describe('startAutocapture', () => {
    const long = 'Add to basket and continue shopping for more wonderful things today please';
    const fixture = `
      <button id="nested"><span><b>Save</b></span> <span>  changes </span><svg width="10" height="10"><rect width="10" height="10"/></svg></button>
      <button id="long">${long}</button>
      <a id="link" href="/pricing?plan=pro">See   pricing</a>
      <div role="button" id="rolebtn">Role button</div>
      <div data-feedpulse-track="hero" id="tracked"><h2>Hero</h2><p>Big text</p></div>
      <input id="submit" type="submit" value="Pay 4111 1111 1111 1111">
      <input id="plainbutton" type="button" value="Secret value">
      <input id="text" value="typed secret"><textarea id="ta">secret words</textarea>
      <input id="pw" type="password" value="hunter2">
      <select id="sel"><option>Secret option</option></select>
      <button id="withfields">Qty <input value="99"> <select><option>Hidden option</option></select><textarea>t</textarea> units</button>
      <div data-feedpulse-mask><button id="masked">Jane Doe</button><a id="maskedlink" href="/users/jane">Jane</a></div>
      <div contenteditable="true"><button id="editable">Editable text</button></div>
      <div contenteditable="false"><button id="noteditable">Fixed</button></div>
      <button id="partmask">Hello <span data-feedpulse-mask>Jane Doe</span></button>
      <div id="plain">Just text</div>
      <button id="stopper" onclick="event.stopPropagation()">Stops</button>
      <feedpulse-widget id="widget"></feedpulse-widget>
      <button id="empty"></button>
      <a id="reset" href="/reset?token=abc&amp;lang=de">Reset</a>
      <svg><a id="svglink" href="/svg"><text y="20">SVG link</text></a></svg>
      <button id="hidden">Visible<span style="display:none"> hidden secret</span></button>`;

    async function setup(): Promise<Page> {
      const page = await open(fixture);
      await page.evaluate(() => {
        const host = document.getElementById('widget')!;
        host.attachShadow({ mode: 'open' }).innerHTML = '<button id="inner">Feedback</button>';
        window.clicks = [];
        window.detach = window.fpCapture.startAutocapture((d) => window.clicks.push(d));
        // Stay on the page when links are clicked.
        document.addEventListener('click', (e) => e.preventDefault());
      });
      return page;
    }
    const clicksAfter = async (page: Page, target: string) => {
      await page.evaluate(() => { window.clicks = []; });
      await page.click(target);
      return page.evaluate(() => window.clicks);
    };

    it('resolves nested spans and svg to the button, collapses whitespace', async () => {
      const page = await setup();
      expect(await clicksAfter(page, '#nested b')).toEqual([{ selector: '#nested', tag: 'button', text: 'Save changes' }]);
      expect(await clicksAfter(page, '#nested rect')).toEqual([{ selector: '#nested', tag: 'button', text: 'Save changes' }]);
      await page.close();
    });

    it('cuts text to at most 64 characters and keeps href (absolute)', async () => {
      const page = await setup();
      const [longClick] = await clicksAfter(page, '#long');
      expect(longClick.text!.length).toBeLessThanOrEqual(64);
      expect(long.startsWith(longClick.text!)).toBe(true);
      expect(await clicksAfter(page, '#link')).toEqual([{ selector: '#link', tag: 'a', text: 'See pricing', href: `${ep.origin}/pricing?plan=pro` }]);
      expect(await clicksAfter(page, '#reset')).toEqual([{ selector: '#reset', tag: 'a', text: 'Reset', href: `${ep.origin}/reset?token=redacted&lang=de` }]);
      expect(await clicksAfter(page, '#svglink')).toEqual([{ selector: '#svglink', tag: 'a', text: 'SVG link' }]);
      expect(await clicksAfter(page, '#rolebtn')).toEqual([{ selector: '#rolebtn', tag: 'div', text: 'Role button' }]);
      expect(await clicksAfter(page, '#tracked p')).toEqual([{ selector: '#tracked', tag: 'div', text: 'Hero Big text' }]);
      await page.close();
    });

    it('never takes text or values from inputs, textareas, selects, passwords, nor from buttons holding them', async () => {
      const page = await setup();
      expect(await clicksAfter(page, '#submit')).toEqual([{ selector: '#submit', tag: 'input' }]);
      expect(await clicksAfter(page, '#plainbutton')).toEqual([{ selector: '#plainbutton', tag: 'input' }]);
      for (const field of ['#text', '#ta', '#pw']) expect(await clicksAfter(page, field)).toEqual([]);
      // A button holding a form field gives no text at all (its options and values are text nodes too).
      expect(await clicksAfter(page, '#withfields')).toEqual([{ selector: '#withfields', tag: 'button' }]);
      const all = JSON.stringify(await page.evaluate(() => window.clicks));
      expect(all).not.toMatch(/secret|hunter2|Hidden option|99/i);
      await page.close();
    });

    it('masks: no text and no href inside [data-feedpulse-mask], no text when holding a masked part or in contenteditable', async () => {
      const page = await setup();
      expect(await clicksAfter(page, '#masked')).toEqual([{ selector: '#masked', tag: 'button' }]);
      expect(await clicksAfter(page, '#maskedlink')).toEqual([{ selector: '#maskedlink', tag: 'a' }]);
      expect(await clicksAfter(page, '#editable')).toEqual([{ selector: '#editable', tag: 'button' }]);
      expect(await clicksAfter(page, '#noteditable')).toEqual([{ selector: '#noteditable', tag: 'button', text: 'Fixed' }]);
      expect(await clicksAfter(page, '#partmask')).toEqual([{ selector: '#partmask', tag: 'button' }]);
      await page.close();
    });

    it('ignores plain elements and the widget, sees stopPropagation clicks, detaches', async () => {
      const page = await setup();
      expect(await clicksAfter(page, '#plain')).toEqual([]);
      expect(await clicksAfter(page, '#widget >> #inner')).toEqual([]);
      expect(await clicksAfter(page, '#stopper')).toEqual([{ selector: '#stopper', tag: 'button', text: 'Stops' }]);
      expect(await clicksAfter(page, '#empty')).toEqual([{ selector: '#empty', tag: 'button' }]);
      // Rendered text only: what the user could not see is not captured.
      expect(await clicksAfter(page, '#hidden')).toEqual([{ selector: '#hidden', tag: 'button', text: 'Visible' }]);
      // Keyboard activation is a click too.
      await page.focus('#long');
      await page.evaluate(() => { window.clicks = []; });
      await page.keyboard.press('Enter');
      expect(await page.evaluate(() => window.clicks.length)).toBe(1);
      await page.evaluate(() => window.detach());
      expect(await clicksAfter(page, '#nested')).toEqual([]);
      await page.close();
    });

    it('a throwing callback does not reach the page', async () => {
      const page = await open('<button id="b">B</button>');
      const errors: string[] = [];
      page.on('pageerror', (e) => errors.push(e.message));
      await page.evaluate(() => { window.fpCapture.startAutocapture(() => { throw new Error('callback bug'); }); });
      await page.click('#b');
      await page.waitForTimeout(50);
      expect(errors).toEqual([]);
      await page.close();
    });
  });

  describe('watchRoutes', () => {
    async function setup(): Promise<Page> {
      const page = await open('<p>spa</p>', '/spa/start');
      await page.evaluate(() => {
        window.routes = [];
        window.detach = window.fpCapture.watchRoutes(() => window.routes.push(location.pathname + location.search + location.hash));
      });
      return page;
    }
    const step = async (page: Page, fn: () => void) => {
      await page.evaluate(() => { window.routes = []; });
      await page.evaluate(fn);
      // The route is polled every 250 ms.
      await page.waitForTimeout(300);
      return page.evaluate(() => window.routes);
    };

    it('fires once per real change: pushState, replaceState, popstate, hashchange', async () => {
      const page = await setup();
      expect(await step(page, () => history.pushState({}, '', '/spa/a'))).toEqual(['/spa/a']);
      expect(await step(page, () => history.pushState({}, '', '/spa/a'))).toEqual([]);
      expect(await step(page, () => history.replaceState({}, '', '/spa/a?x=1'))).toEqual(['/spa/a?x=1']);
      expect(await step(page, () => history.replaceState({ other: 'state' }, ''))).toEqual([]);
      // The second push of the same URL made a history entry without a route change: back lands on it.
      expect(await step(page, () => history.back())).toEqual(['/spa/a']);
      expect(await step(page, () => history.forward())).toEqual(['/spa/a?x=1']);
      // A fragment change fires both popstate and hashchange in Chromium: one route.
      expect(await step(page, () => { location.hash = 'reviews'; })).toEqual(['/spa/a?x=1#reviews']);
      // A redirect (push then replace in one task) counts once, with the final URL.
      expect(await step(page, () => { history.pushState({}, '', '/spa/old'); history.replaceState({}, '', '/spa/new'); })).toEqual(['/spa/new']);
      await page.close();
    });

    it('one poll for every listener, history left untouched, stopped when the last detaches', async () => {
      const page = await setup();
      const r = await page.evaluate(async () => {
        const second: string[] = [];
        const native = (f: unknown) => String(f).includes('[native code]');
        const sleep = () => new Promise((r) => setTimeout(r, 300));
        const off2 = window.fpCapture.watchRoutes(() => second.push(location.pathname));
        history.pushState({}, '', '/spa/two');
        await sleep();
        window.detach();
        history.pushState({}, '', '/spa/three');
        await sleep();
        off2();
        off2(); // twice is harmless
        history.pushState({}, '', '/spa/four');
        await sleep();
        return { second, first: window.routes, untouched: native(history.pushState) && native(history.replaceState) };
      });
      expect(r).toEqual({ second: ['/spa/two', '/spa/three'], first: ['/spa/two'], untouched: true });
      await page.close();
    });

    it('leaves a host wrapper of pushState alone, and a throwing listener harms no other', async () => {
      const page = await setup();
      const r = await page.evaluate(async () => {
        const theirs = history.pushState;
        const libCalls: string[] = [];
        history.pushState = function (...a: Parameters<History['pushState']>) { libCalls.push(String(a[2])); return theirs.apply(this, a); };
        const offBad = window.fpCapture.watchRoutes(() => { throw new Error('listener bug'); });
        history.pushState({}, '', '/spa/lib');
        await new Promise((r) => setTimeout(r, 300));
        offBad();
        window.detach();
        const afterDetach = history.pushState;
        history.pushState({}, '', '/spa/after');
        return { libCalls, routes: window.routes, kept: String(afterDetach).includes('libCalls') };
      });
      expect(r).toEqual({ libCalls: ['/spa/lib', '/spa/after'], routes: ['/spa/lib'], kept: true });
      await page.close();
    });
  });

  describe('identity in real storage', () => {
    it('anonymous id survives reloads and tabs; session id is per tab and survives reloads', async () => {
      const ctx = await browser.newContext();
      ep.page('/id.html', html(''));
      const a = await ctx.newPage();
      await a.goto(ep.origin + '/id.html');
      const ids = () => a.evaluate(() => [window.fpCapture.anonymousId('shop'), window.fpCapture.sessionId('shop')]);
      const [anon1, sess1] = await ids();
      await a.reload();
      const [anon2, sess2] = await ids();
      expect([anon2, sess2]).toEqual([anon1, sess1]);
      const b = await ctx.newPage();
      await b.goto(ep.origin + '/id.html');
      const [anonB, sessB] = await b.evaluate(() => [window.fpCapture.anonymousId('shop'), window.fpCapture.sessionId('shop')]);
      expect(anonB).toBe(anon1);
      expect(sessB).not.toBe(sess1);
      await ctx.close();
    });

    it('works without storage (sandboxed iframe where storage throws)', async () => {
      ep.page('/inner.html', html(''));
      const page = await open('<iframe sandbox="allow-scripts" src="/inner.html"></iframe>', '/outer.html');
      const frame = page.frames()[1];
      await frame.waitForFunction(() => !!window.fpCapture);
      const r = await frame.evaluate(() => {
        let storageThrows = false;
        try { void localStorage.length; } catch { storageThrows = true; }
        const f = window.fpCapture;
        return { storageThrows, a: [f.anonymousId('p'), f.anonymousId('p')], s: [f.sessionId('p'), f.sessionId('p')] };
      });
      expect(r.storageThrows).toBe(true);
      expect(r.a[0]).toMatch(/^[\w-]{21}$/);
      expect(r.a[1]).toBe(r.a[0]);
      expect(r.s[1]).toBe(r.s[0]);
      await page.close();
    });

    it('pageContext reads the real page and redacts secrets', async () => {
      const page = await open('', '/reset');
      await page.goto(ep.origin + '/reset?token=abc&lang=de#x');
      const ctx = await page.evaluate(() => window.fpCapture.pageContext());
      expect(ctx).toEqual({ url: `${ep.origin}/reset?token=redacted&lang=de#x`, path: '/reset', title: 'capture test', referrer: '' });
      await page.close();
    });
  });
});
