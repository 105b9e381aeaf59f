// The dashboard's figures as they were built from the in-memory analysis state (applyEvent +
// projects), before the dashboard read the database: the equivalence test (db-figures.test.ts)
// compares the database's figures with them.
import { HOT_SPOTS, hotSpots } from '../../src/consumer/analysis/clicks';
import { csatView } from '../../src/consumer/analysis/csat';
import { negativeWordsView } from '../../src/consumer/analysis/negative-words';
import { npsView } from '../../src/consumer/analysis/nps';
import { worstPages } from '../../src/consumer/analysis/pages';
import { ratingsView } from '../../src/consumer/analysis/ratings';
import { sentimentView } from '../../src/consumer/analysis/sentiment';
import type { AnalysisState } from '../../src/consumer/analysis/state';
import { volumeView } from '../../src/consumer/analysis/volume';

/** The figures of one state, in the view's shape. */
export function memoryFigures(a: AnalysisState) {
  return {
    ratings: ratingsView(a.ratings),
    nps: npsView(a.nps),
    csat: csatView(a.csat),
    volume: volumeView(a.volume),
    sentiment: sentimentView(a.sentiment),
    negativeWords: negativeWordsView(a.negativeWords),
    worstPages: worstPages(a.pages),
    hotSpots: hotSpots(a.clicks, HOT_SPOTS),
    comments: a.comments.newest.slice(0, 25),
  };
}
