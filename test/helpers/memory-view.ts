// The test's oracle for db-figures.test.ts: the dashboard's figures worked out in memory, straight
// from the events, by a plain reference model (Maps and loops, no SQL, no buckets in a database).
// It shares with the database path only the pure rules both must apply (event time, valid and low
// ratings, normalisation, comment scoring, content words, the bands, the top lists' order and
// ties), so what it checks is the path from events to figures: rows, deltas, sums, windows,
// caps and ordering. Nothing under src/ uses it.
import { clipText } from '../../src/collector/clip-text';
import { isProjectName } from '../../src/collector/validate';
import { HOT_SPOTS, rankSpots, type Spot } from '../../src/consumer/analysis/clicks';
import type { FeedComment } from '../../src/consumer/analysis/comments';
import { countsForCsat, csatPercent, isSatisfied } from '../../src/consumer/analysis/csat';
import { contentWords, NEGATIVE_TERMS, topTerms, wordPairs } from '../../src/consumer/analysis/negative-words';
import { npsScore, type NpsCounts } from '../../src/consumer/analysis/nps';
import { rankWorstPages, type PageRatings } from '../../src/consumer/analysis/pages';
import { ROLLING_MINUTES } from '../../src/consumer/analysis/ratings';
import { isLowRating, isValidRating, normalizeRating, SCALE_RANGE } from '../../src/consumer/analysis/scales';
import { scoreComment, sentimentLabel, type CommentSentiment } from '../../src/consumer/analysis/sentiment';
import { average, eventTime, type Bucket } from '../../src/consumer/analysis/time';
import type { Scale } from '../../src/core/types';
import type { ConsumedEvent } from '../../src/consumer/types';
import { HIGH, MID, scoreBand } from '../../src/wire/bands';

const MINUTE = 60_000;
const SHOWN_DAYS = 14;
const SHOWN_COMMENTS = 25;
const MAX_COMMENT = 2000;
const KEY_CHARS = 256;

const minuteOf = (at: number) => Math.floor(at / MINUTE);
const dayOf = (at: number) => new Date(at).toISOString().slice(0, 10);
const add = <K>(map: Map<K, Bucket>, key: K, value: number) => {
  const b = map.get(key) ?? { sum: 0, count: 0 };
  b.sum += value;
  b.count += 1;
  map.set(key, b);
};
const count = <K>(map: Map<K, number>, key: K) => map.set(key, (map.get(key) ?? 0) + 1);
const lastDays = <V>(byDay: Map<string, V>) => [...byDay.keys()].sort().slice(-SHOWN_DAYS);

interface ScaleModel { count: number; sum: number; distribution: number[]; byMinute: Map<number, Bucket>; byDay: Map<string, Bucket>; newestMinute: number }

/** Everything one view counts, kept in full (no caps: the test's events stay below them). */
class Model {
  events = 0;
  byType = new Map<string, number>();
  eventsByMinute = new Map<number, number>();
  eventsByDay = new Map<string, number>();
  newestMinute = 0;
  scales = new Map<Scale, ScaleModel>();
  nps = { promoters: 0, passives: 0, detractors: 0 };
  npsByDay = new Map<string, NpsCounts>();
  csat = { satisfied: 0, total: 0 };
  sentiment = { count: 0, sum: 0, labels: { positive: 0, neutral: 0, negative: 0 }, byLanguage: new Map<string, number>(), byDay: new Map<string, Bucket>() };
  negativeComments = 0;
  words = new Map<string, number>();
  phrases = new Map<string, number>();
  pages = new Map<string, PageRatings>();
  clicks = new Map<string, Spot>();
  comments: FeedComment[] = [];

  apply(event: ConsumedEvent, at: number, sentimentOf: (comment: string) => CommentSentiment): void {
    this.events += 1;
    count(this.byType, event.type);
    count(this.eventsByMinute, minuteOf(at));
    count(this.eventsByDay, dayOf(at));
    this.newestMinute = Math.max(this.newestMinute, minuteOf(at));
    const path = typeof event.page?.path === 'string' && event.page.path ? event.page.path : '/';

    if (event.type === 'click') {
      if (typeof event.data?.selector !== 'string') return;
      const spot = { path: clipText(path, KEY_CHARS), selector: clipText(event.data.selector, KEY_CHARS) };
      const key = JSON.stringify([spot.path, spot.selector]);
      const known = this.clicks.get(key) ?? { ...spot, count: 0 };
      known.count += 1;
      if (typeof event.data.text === 'string' && event.data.text) known.text = clipText(event.data.text, 64);
      this.clicks.set(key, known);
      return;
    }
    if (event.type !== 'feedback') return;
    const { rating, scale } = event.data ?? {};
    if (!isValidRating(rating, scale)) return;
    const low = isLowRating(rating, scale);

    const { min, max } = SCALE_RANGE[scale];
    const s = this.scales.get(scale) ?? { count: 0, sum: 0, distribution: new Array<number>(max - min + 1).fill(0), byMinute: new Map(), byDay: new Map(), newestMinute: 0 };
    this.scales.set(scale, s);
    s.count += 1;
    s.sum += rating;
    s.distribution[rating - min]! += 1;
    add(s.byMinute, minuteOf(at), rating);
    add(s.byDay, dayOf(at), rating);
    s.newestMinute = Math.max(s.newestMinute, minuteOf(at));

    if (scale === 'nps') {
      const band = scoreBand('nps', rating);
      const group = band === HIGH ? 'promoters' : band === MID ? 'passives' : 'detractors';
      this.nps[group] += 1;
      const day = this.npsByDay.get(dayOf(at)) ?? { promoters: 0, passives: 0, detractors: 0 };
      day[group] += 1;
      this.npsByDay.set(dayOf(at), day);
    }
    if (countsForCsat(scale)) {
      this.csat.total += 1;
      if (isSatisfied(scale, rating)) this.csat.satisfied += 1;
    }
    const page = this.pages.get(path) ?? { count: 0, sum: 0, low: 0 };
    page.count += 1;
    page.sum += normalizeRating(rating, scale) * 100;
    if (low) page.low += 1;
    this.pages.set(path, page);

    const comment = typeof event.data.comment === 'string' ? clipText(event.data.comment.trim(), MAX_COMMENT) : '';
    if (!comment) return;
    const sentiment = sentimentOf(comment);
    this.sentiment.count += 1;
    this.sentiment.sum += sentiment.score;
    this.sentiment.labels[sentimentLabel(sentiment.score)] += 1;
    count(this.sentiment.byLanguage, sentiment.language);
    add(this.sentiment.byDay, dayOf(at), sentiment.score);
    if (sentiment.score < 0 || low) {
      this.negativeComments += 1;
      // Each term counts once per comment: "broken broken broken" is one complaint.
      for (const w of new Set(contentWords(comment))) count(this.words, w);
      for (const p of new Set(wordPairs(comment))) count(this.phrases, p);
    }
    this.comments.push({ id: event.id, at, rating, scale, comment, path, score: sentiment.score, language: sentiment.language });
  }

  figures() {
    const ratings = [];
    for (const scale of Object.keys(SCALE_RANGE) as Scale[]) {
      const s = this.scales.get(scale);
      if (!s) continue;
      const perMinute = [];
      let rollingSum = 0;
      let rollingCount = 0;
      for (let m = s.newestMinute - ROLLING_MINUTES + 1; m <= s.newestMinute; m++) {
        const b = s.byMinute.get(m);
        perMinute.push({ at: m * MINUTE, average: average(b), count: b?.count ?? 0 });
        if (b) { rollingSum += b.sum; rollingCount += b.count; }
      }
      ratings.push({
        scale, count: s.count, average: s.sum / s.count, rolling: rollingCount ? rollingSum / rollingCount : null, rollingCount,
        ...SCALE_RANGE[scale], distribution: s.distribution.slice(),
        perDay: lastDays(s.byDay).map((day) => ({ day, average: average(s.byDay.get(day)), count: s.byDay.get(day)!.count })),
        perMinute,
      });
    }
    const perMinute = [];
    for (let m = this.newestMinute - 59; m <= this.newestMinute; m++) perMinute.push({ at: m * MINUTE, count: this.eventsByMinute.get(m) ?? 0 });
    const { words, phrases } = NEGATIVE_TERMS;
    // Newest first by event time; comments of the same time in id order.
    const comments = this.comments.slice()
      .sort((a, b) => b.at - a.at || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .slice(0, SHOWN_COMMENTS);
    return {
      ratings,
      nps: {
        score: npsScore(this.nps), ...this.nps, total: this.nps.promoters + this.nps.passives + this.nps.detractors,
        perDay: lastDays(this.npsByDay).map((day) => ({ day, score: npsScore(this.npsByDay.get(day)!) })),
      },
      csat: { percent: csatPercent(this.csat), ...this.csat },
      volume: {
        total: this.events, byType: Object.fromEntries(this.byType), perMinute,
        perDay: lastDays(this.eventsByDay).map((day) => ({ day, count: this.eventsByDay.get(day)! })),
      },
      sentiment: {
        count: this.sentiment.count, average: this.sentiment.count ? this.sentiment.sum / this.sentiment.count : null,
        labels: { ...this.sentiment.labels }, byLanguage: Object.fromEntries(this.sentiment.byLanguage),
        perDay: lastDays(this.sentiment.byDay).map((day) => ({ day, average: average(this.sentiment.byDay.get(day)), count: this.sentiment.byDay.get(day)!.count })),
      },
      negativeWords: {
        comments: this.negativeComments,
        words: topTerms(this.words, words.n, words.minCount),
        phrases: topTerms(this.phrases, phrases.n, phrases.minCount),
      },
      worstPages: rankWorstPages(this.pages),
      hotSpots: rankSpots([...this.clicks.values()].map((s) => ({ ...s })), HOT_SPOTS),
      comments,
    };
  }
}

export type ReferenceFigures = ReturnType<Model['figures']>;

export interface Reference {
  /** All projects together. */
  all: ReferenceFigures;
  /** Projects with figures of their own: the first `maxProjects` valid names seen, in event order. */
  projects: Map<string, ReferenceFigures>;
  /** Empty figures, as shown for a project beyond the cap or never seen. */
  empty: ReferenceFigures;
  /** Distinct events counted, and comments of all projects (before the feed is cut to what is shown). */
  counted: number;
  comments: number;
}

/** The figures of `events` (delivered at least once: an id seen before is not counted again). */
export function referenceFigures(events: readonly ConsumedEvent[], maxProjects: number): Reference {
  const all = new Model();
  const projects = new Map<string, Model>();
  const seen = new Set<string>();
  const scored = new Map<string, CommentSentiment>();
  const sentimentOf = (comment: string) => scored.get(comment) ?? scored.set(comment, scoreComment(comment)).get(comment)!;
  for (const event of events) {
    if (seen.has(event.id)) continue;
    seen.add(event.id);
    const at = eventTime(event);
    all.apply(event, at, sentimentOf);
    const name = typeof event.project === 'string' ? event.project : '';
    // A name the dashboard could not ask for (?project=) gets no figures of its own.
    if (!isProjectName(name)) continue;
    if (!projects.has(name) && projects.size < maxProjects) projects.set(name, new Model());
    projects.get(name)?.apply(event, at, sentimentOf);
  }
  return {
    all: all.figures(),
    projects: new Map([...projects].map(([name, model]) => [name, model.figures()])),
    empty: new Model().figures(),
    counted: seen.size,
    comments: all.comments.length,
  };
}
