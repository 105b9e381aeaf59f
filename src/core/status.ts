// What to do with a batch given the HTTP status of its answer (docs/contract.md, "Answers").
// Status 0 stands for a network failure (fetch rejected).
// The numbers of RETRY, SPLIT and PAUSE are outcome.ts's RETRY_LATER, SPLIT_BATCH and PAUSE_SENDING,
// so an outcome passes them on as they are.
export const OK = 0, RETRY = 1, SPLIT = 2, PAUSE = 3, DROP = 4;
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
