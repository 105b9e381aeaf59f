// The dashboard's project filter in real Chromium: the select lists the projects seen, choosing one
// narrows figures, comments and alerts and puts ?project= in the address, a reload keeps it,
// live pushes of other projects do not leak in, "All projects" brings everything back — all under
// the dashboard's strict CSP without console errors, and without accessibility violations.
import AxeBuilder from '@axe-core/playwright';
import { describe, expect, it } from 'vitest';
import { hasChromium } from '../helpers/browser';
import { useDashboard } from '../helpers/dashboard';
import { ratingEvent, postEvents, waitFor } from '../helpers/consumer';

describe.skipIf(!hasChromium)('dashboard project filter (Chromium)', () => {
  const dash = useDashboard('fp-dash-proj-');

  it('narrows the dashboard to one project, keeps the choice across a reload, and goes back to all', async () => {
    const shop = [ratingEvent('shop', 5, { comment: 'Shop is lovely' }), ratingEvent('shop', 5)];
    const blog = [ratingEvent('blog', 1, { comment: 'Blog is broken' }), ratingEvent('blog', 2, { comment: 'Blog is slow' })];
    await postEvents(`${dash.server.url}/v1/events`, [...shop, ...blog]);
    await waitFor(() => dash.server.consumer!.processed() === 4, 10_000, '4 counted');

    const page = await (await dash.browser.newContext()).newPage();
    const problems: string[] = [];
    page.on('console', (m) => { if (m.type() === 'error') problems.push(m.text()); });
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.goto(`${dash.server.url}/dashboard`);
    await page.locator('body[data-processed="4"]').waitFor({ timeout: 15_000 });
    const select = page.getByLabel('Project');
    expect(await select.locator('option').allTextContents()).toEqual(['All projects', 'blog', 'shop']);
    expect(await page.locator('#comments li .text').count()).toBe(3);
    expect(await page.locator('#alert-count').textContent()).toBe('1');

    await select.selectOption('shop');
    await page.locator('body[data-processed="2"]').waitFor({ timeout: 10_000 });
    expect(new URL(page.url()).searchParams.get('project')).toBe('shop');
    expect(await page.locator('#comments li .text').allTextContents()).toEqual(['Shop is lovely']);
    expect(await page.locator('#alerts li.empty').count()).toBe(1);
    expect(await page.locator('#alert-count').textContent()).toBe('0');
    expect(await page.locator('#rating-big').textContent()).toBe('5.00 / 5');

    // Live: a blog event changes nothing here; a shop event shows up.
    await postEvents(`${dash.server.url}/v1/events`, [ratingEvent('blog', 1, { comment: 'Blog again' })]);
    await waitFor(() => dash.server.consumer!.processed() === 5, 10_000, '5 counted');
    const late = ratingEvent('shop', 3, { comment: 'Shop is fine' });
    await postEvents(`${dash.server.url}/v1/events`, [late]);
    await page.locator(`#comments li[data-id="${late.id}"]`).waitFor({ timeout: 15_000 });
    expect(await page.locator('#comments li .text').allTextContents()).toEqual(['Shop is fine', 'Shop is lovely']);
    expect(await page.locator('body').getAttribute('data-processed')).toBe('3');

    // A reload keeps the filter (it is in the address).
    await page.reload();
    await page.locator('body[data-processed="3"]').waitFor({ timeout: 15_000 });
    expect(await select.inputValue()).toBe('shop');
    expect(await page.locator('#comments li .text').count()).toBe(2);

    const axe = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa']).analyze();
    expect(axe.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id)).toEqual([]);

    await select.selectOption('');
    await page.locator('body[data-processed="6"]').waitFor({ timeout: 10_000 });
    expect(new URL(page.url()).search).toBe('');
    expect(await page.locator('#comments li .text').count()).toBe(5);
    expect(await page.locator('#alert-count').textContent()).toBe('2'); // "Blog again" is 1 star too
    expect(problems).toEqual([]);
    await page.close();
  });
});
