// What to do with a batch given the HTTP status of its answer (docs/contract.md, "Answers").
// Status 0 stands for a network failure (fetch rejected).
export const RETRY = 0, OK = 1, DROP = 2, PAUSE = 3, SPLIT = 4;
export type Verdict = typeof RETRY | typeof OK | typeof DROP | typeof PAUSE | typeof SPLIT;

export function verdict(status: number): Verdict {
  return status > 199 && status < 300 ? OK
    // 400: the batch is invalid (422: a Kafka REST Proxy's "unprocessable record") — resending it
    // can never succeed, so it is dropped rather than retried forever.
    : status === 400 || status === 422 ? DROP
    : status === 401 || status === 403 ? PAUSE
    : status === 413 ? SPLIT
    // 408, 425, 429, 5xx, network failures, and anything unexpected (404 while a route deploys):
    // keep the events and retry later; losing a rating is worse than waiting.
    : RETRY;
}
