// Realistic simulated shop traffic: visitors browse a few pages, click things, and some leave
// feedback whose rating depends on the page (checkout is worse than product pages) and whose
// comment language and mood follow the rating. A short payment incident near the end makes the
// rating-drop and keyword alerts fire the way a real outage would.
import { nanoid } from 'nanoid';
import type { FeedpulseEvent, Scale } from '../../core/types';
import { SCALE_RANGE } from '../analysis/scales';
import { PHRASES, type Mood, type PhraseLanguage } from './phrases';
import { createRandom, type Random } from './random';

interface SimPage { path: string; title: string; weight: number; quality: number; scale: Scale; clicks: [string, string, string?][] }

const PAGES: SimPage[] = [
  { path: '/', title: 'Feedpulse Coffee — Home', weight: 30, quality: 0.8, scale: 'emoji', clicks: [
    ['a.nav-link[href="/products"]', 'a', 'Shop'], ['button.hero-cta', 'button', 'Shop espresso'], ['a.nav-link[href="/cart"]', 'a', 'Cart'], ['button.search-submit', 'button', 'Search']] },
  { path: '/products', title: 'All products', weight: 20, quality: 0.74, scale: 'stars', clicks: [
    ['a.product-card[data-sku="espresso"]', 'a', 'Espresso machine'], ['a.product-card[data-sku="grinder"]', 'a', 'Burr grinder'], ['button.filter-toggle', 'button', 'Filters'], ['select#sort', 'select']] },
  { path: '/products/espresso-machine', title: 'Espresso machine', weight: 15, quality: 0.86, scale: 'stars', clicks: [
    ['button.add-to-cart', 'button', 'Add to cart'], ['button.gallery-next', 'button', 'Next photo'], ['a.reviews-link', 'a', 'Reviews']] },
  { path: '/products/grinder', title: 'Burr grinder', weight: 8, quality: 0.64, scale: 'stars', clicks: [
    ['button.add-to-cart', 'button', 'Add to cart'], ['a.size-guide', 'a', 'Size guide']] },
  { path: '/cart', title: 'Your cart', weight: 10, quality: 0.66, scale: 'stars', clicks: [
    ['button.checkout', 'button', 'Checkout'], ['button.qty-plus', 'button', '+'], ['button.apply-coupon', 'button', 'Apply coupon'], ['button.remove-item', 'button', 'Remove']] },
  { path: '/checkout', title: 'Checkout', weight: 8, quality: 0.55, scale: 'stars', clicks: [
    ['button#pay-now', 'button', 'Pay now'], ['a.edit-address', 'a', 'Edit address'], ['label.shipping-express', 'label', 'Express shipping']] },
  { path: '/checkout/payment', title: 'Payment', weight: 5, quality: 0.42, scale: 'stars', clicks: [
    ['button#pay-now', 'button', 'Pay now'], ['button.paypal', 'button', 'PayPal'], ['button.retry-payment', 'button', 'Try again']] },
  { path: '/account/orders', title: 'Your orders', weight: 4, quality: 0.7, scale: 'nps', clicks: [
    ['a.order-details', 'a', 'Details'], ['button.request-refund', 'button', 'Request refund'], ['button.track-parcel', 'button', 'Track parcel']] },
  { path: '/help/shipping', title: 'Help: shipping', weight: 3, quality: 0.6, scale: 'thumbs', clicks: [
    ['button.helpful-yes', 'button', 'Yes'], ['button.helpful-no', 'button', 'No'], ['a.contact-support', 'a', 'Contact us']] },
  { path: '/help/returns', title: 'Help: returns', weight: 2, quality: 0.5, scale: 'thumbs', clicks: [
    ['button.helpful-yes', 'button', 'Yes'], ['button.helpful-no', 'button', 'No']] },
];

const LANGUAGES: [PhraseLanguage, number][] = [['en', 55], ['de', 17], ['fr', 14], ['es', 14]];
const REFERRERS = ['', '', 'https://www.google.com/', 'https://news.ycombinator.com/', 'https://www.instagram.com/'];

export interface TrafficOptions {
  visitors?: number;
  project?: string;
  origin?: string;
  /** Days of history before the live hour (default 7). */
  days?: number;
  /** Share of visitors in the last hour (default 0.4): the live part of the charts. */
  liveShare?: number;
  /** A payment outage this many minutes before `now`, lasting 15 minutes (default 35; 0 = none). */
  incidentMinutesAgo?: number;
  seed?: number;
  now?: number;
}

const clamp = (x: number, lo: number, hi: number) => Math.max(lo, Math.min(hi, x));

function ratingFor(r: Random, quality: number, scale: Scale): number {
  // Mostly near the page's quality, with a long tail either way.
  const satisfaction = clamp(quality + (r.next() + r.next() - 1) * 0.55, 0, 1);
  const { min, max } = SCALE_RANGE[scale];
  return Math.round(min + satisfaction * (max - min));
}

function moodFor(rating: number, scale: Scale, incident: boolean): Mood {
  const { min, max } = SCALE_RANGE[scale];
  const s = (rating - min) / (max - min);
  if (incident && s < 0.5) return 'incident';
  return s >= 0.7 ? 'positive' : s >= 0.4 ? 'neutral' : 'negative';
}

/** All events of `visitors` simulated visits, oldest first. */
export function simulateTraffic(options: TrafficOptions = {}): FeedpulseEvent[] {
  const { visitors = 2000, project = 'shop-web', origin = 'https://shop.example.com', days = 7, liveShare = 0.4,
    incidentMinutesAgo = 35, seed = Date.now() & 0xffffffff, now = Date.now() } = options;
  const r = createRandom(seed);
  const events: FeedpulseEvent[] = [];
  const pageWeights = PAGES.map((p) => [p, p.weight] as const);
  const incidentStart = now - incidentMinutesAgo * 60_000;
  const incidentEnd = incidentStart + 15 * 60_000;

  for (let v = 0; v < visitors; v++) {
    const live = r.chance(liveShare);
    let t = live ? now - r.next() * 60 * 60_000 : now - 60 * 60_000 - r.next() * days * 86_400_000;
    const anonymousId = nanoid();
    const sessionId = nanoid();
    const userId = r.chance(0.25) ? `u-${r.int(1, 900)}` : undefined;
    const base = { project, anonymousId, sessionId, ...(userId ? { userId } : {}) };
    const visits = r.int(1, 4);
    let referrer = r.pick(REFERRERS);
    let page = r.weighted(pageWeights);
    for (let i = 0; i < visits && t < now; i++) {
      const ctx = { url: `${origin}${page.path}`, path: page.path, title: page.title, referrer };
      const at = () => new Date(Math.min(t, now)).toISOString();
      events.push({ ...base, id: nanoid(), type: 'pageview', ts: at(), page: ctx, data: {} });
      if (i === 0 && userId && r.chance(0.3)) {
        events.push({ ...base, id: nanoid(), type: 'identify', ts: at(), page: ctx, data: { traits: { plan: r.pick(['free', 'pro']) } } });
      }
      for (let c = r.int(0, 3); c > 0; c--) {
        t += r.int(2, 25) * 1000;
        const [selector, tag, text] = r.pick(page.clicks);
        events.push({ ...base, id: nanoid(), type: 'click', ts: at(), page: ctx, data: { selector, tag, ...(text ? { text } : {}) } });
        if (selector === 'button.add-to-cart') {
          events.push({ ...base, id: nanoid(), type: 'track', ts: at(), page: ctx, data: { name: 'add_to_cart', props: { sku: page.path.split('/').pop() } } });
        }
      }
      const incident = t >= incidentStart && t < incidentEnd && page.path.startsWith('/checkout');
      const askChance = page.path.startsWith('/checkout') ? 0.5 : 0.3;
      if (r.chance(askChance)) {
        t += r.int(3, 40) * 1000;
        const quality = incident ? page.quality - 0.45 : page.quality;
        const rating = ratingFor(r, quality, page.scale);
        const mood = moodFor(rating, page.scale, incident);
        const withComment = r.chance(mood === 'incident' ? 0.85 : mood === 'negative' ? 0.6 : 0.35);
        const comment = withComment ? r.pick(PHRASES[r.weighted(LANGUAGES)][mood]) : undefined;
        events.push({ ...base, id: nanoid(), type: 'feedback', ts: at(), page: ctx, data: { rating, scale: page.scale, ...(comment ? { comment } : {}) } });
      }
      referrer = ctx.url;
      page = r.weighted(pageWeights);
      t += r.int(10, 120) * 1000;
    }
  }
  return events.sort((a, b) => (a.ts < b.ts ? -1 : a.ts > b.ts ? 1 : 0));
}
