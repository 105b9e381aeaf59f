// Volume, sentiment, the words of negative comments, the worst pages, the click hot spots and the
// newest comments from their rollups and inbox rows, with the rules of analysis/sentiment.ts,
// negative-words.ts, pages.ts and clicks.ts.
import { HOT_SPOTS, rankSpots, type Spot } from '../../analysis/clicks';
import type { FeedComment } from '../../analysis/comments';
import { NEGATIVE_TERMS, topTerms } from '../../analysis/negative-words';
import { rankWorstPages } from '../../analysis/pages';
import type { SentimentLabel } from '../../analysis/sentiment';
import type { CommentLanguage } from '../../analysis/stopwords';
import { average } from '../../analysis/time';
import { emptyRecord } from '../../records';
import { METRIC, splitClickKey } from '../metrics';
import type { CommentRow, TopRow } from './rows';
import { daysInOrder, hourOf, sumOf, type Series } from './scores';

/** key → count of the all-time totals; keys are visitor text, so a null-prototype record. */
function countsByKey(series: Series): Record<string, number> {
  const counts = emptyRecord<number>();
  for (const row of series.totals) counts[row.key] = (counts[row.key] ?? 0) + row.count;
  return counts;
}

export function volumeFigures(events: Series) {
  return {
    total: sumOf(events.totals).count,
    byType: { ...countsByKey(events) },
    perMinute: hourOf(events, (at, row) => ({ at, count: row?.count ?? 0 })),
    perDay: daysInOrder(events).map(({ day, rows }) => ({ day, count: sumOf(rows).count })),
  };
}

export function sentimentFigures(sentiment: Series, language: Series) {
  const all = sumOf(sentiment.totals);
  const labels: Record<SentimentLabel, number> = { positive: 0, neutral: 0, negative: 0 };
  for (const row of sentiment.totals) if (Object.hasOwn(labels, row.key)) labels[row.key as SentimentLabel] += row.count;
  return {
    count: all.count,
    average: average(all),
    labels,
    byLanguage: { ...countsByKey(language) } as Partial<Record<CommentLanguage, number>>,
    perDay: daysInOrder(sentiment).map(({ day, rows }) => { const b = sumOf(rows); return { day, average: average(b), count: b.count }; }),
  };
}

const topOf = (top: readonly TopRow[], metric: string) => top.filter((row) => row.metric === metric);

export function negativeWordsFigures(negativeComments: Series, top: readonly TopRow[]) {
  const { words, phrases } = NEGATIVE_TERMS;
  const terms = (metric: string): [string, number][] => topOf(top, metric).map((row) => [row.key, row.count]);
  return {
    comments: sumOf(negativeComments.totals).count,
    words: topTerms(terms(METRIC.negativeWord), words.n, words.minCount),
    phrases: topTerms(terms(METRIC.negativePhrase), phrases.n, phrases.minCount),
  };
}

export const worstPagesFigures = (top: readonly TopRow[]) =>
  rankWorstPages(topOf(top, METRIC.page).map((row) => [row.key, { count: row.count, sum: row.sum, low: row.low }]));

export const hotSpotsFigures = (top: readonly TopRow[]) =>
  rankSpots(topOf(top, METRIC.click).map((row): Spot => {
    const { path, selector } = splitClickKey(row.key);
    return { path, selector, ...(row.label === null ? {} : { text: row.label }), count: row.count };
  }), HOT_SPOTS);

export const commentsFigures = (rows: readonly CommentRow[]): FeedComment[] => rows.map((row) => ({
  id: row.id, at: new Date(row.at).getTime(), rating: row.score, scale: row.scale, comment: row.comment, path: row.path,
  score: row.sentiment ?? 0, language: (row.language ?? 'en') as CommentLanguage,
}));
