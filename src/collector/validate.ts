// Validation of a batch and of each event in it. Nothing from the request is trusted or spread:
// known fields are copied one by one into fresh objects, free-form parts (track props, identify
// traits) are deep-copied with limits, and `__proto__` / `constructor` / `prototype` keys anywhere
// make the event (or the batch) invalid.
import type { EventType, FeedpulseEvent, PageContext, Scale } from '../core/types.js';
import { isOnScale, isScale } from '../wire/scales.js';
import { isProjectName, RESERVED_NAMES } from '../wire/project.js';
import { clipText, wellFormed } from './clip-text.js';

export interface BatchShape {
  sentAt: number | undefined;
  events: unknown[];
}

export type BatchCheck = { ok: true; batch: BatchShape } | { ok: false; error: string };

const FORBIDDEN: ReadonlySet<string> = new Set(RESERVED_NAMES);

export function checkBatch(value: unknown): BatchCheck {
  if (!isPlainObject(value)) return { ok: false, error: 'batch_not_an_object' };
  if (hasForbiddenOwnKey(value)) return { ok: false, error: 'forbidden_key' };
  if (value.v !== 1) return { ok: false, error: 'unsupported_version' };
  if (!Array.isArray(value.events)) return { ok: false, error: 'events_not_an_array' };
  let sentAt: number | undefined;
  if (value.sentAt !== undefined) {
    sentAt = typeof value.sentAt === 'string' && value.sentAt.length <= 40 && ISO_DATE.test(value.sentAt) ? Date.parse(value.sentAt) : Number.NaN;
    if (Number.isNaN(sentAt)) return { ok: false, error: 'invalid_sent_at' };
  }
  return { ok: true, batch: { sentAt, events: value.events } };
}

/** The Kafka REST Proxy v2 produce body: `{ records: [{ key?, value: Event }] }`. */
export function checkKafkaRecords(value: unknown): BatchCheck {
  if (!isPlainObject(value)) return { ok: false, error: 'batch_not_an_object' };
  if (hasForbiddenOwnKey(value)) return { ok: false, error: 'forbidden_key' };
  if (!Array.isArray(value.records)) return { ok: false, error: 'records_not_an_array' };
  const events = value.records.map((record: unknown) => (isPlainObject(record) && !hasForbiddenOwnKey(record) ? record.value : record));
  return { ok: true, batch: { sentAt: undefined, events } };
}

export interface EventContext {
  /** Server time the batch arrived (ms). */
  now: number;
  /** Server time minus the batch's sentAt, when it is off by more than the tolerance (ms). */
  skewMs: number;
  /** Oldest accepted event age (ms). */
  maxAgeMs: number;
  /** Projects the request's key may write (undefined: any). */
  projects?: ReadonlySet<string>;
}

export type EventCheck =
  | { ok: true; event: FeedpulseEvent; clientTs?: string }
  | { ok: false; id: string; reason: string };

const TYPES: ReadonlySet<string> = new Set<EventType>(['feedback', 'click', 'track', 'identify', 'pageview']);
const ID = /^[A-Za-z0-9_-]{8,64}$/;
// The project-name rule is the SDK's too (src/wire/project.ts): re-exported for existing importers.
export { PROJECT_NAME, isProjectName } from '../wire/project.js';
const ISO_DATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
/** Clients ahead of the server by more than this (after skew correction) are refused. */
const MAX_FUTURE_MS = 5 * 60 * 1000;

class Invalid extends Error {}
const fail = (reason: string): never => {
  throw new Invalid(reason);
};

export function checkEvent(raw: unknown, index: number, ctx: EventContext): EventCheck {
  const id = isPlainObject(raw) && typeof raw.id === 'string' && raw.id.length <= 64 ? raw.id : `#${index}`;
  try {
    if (!isPlainObject(raw)) fail('event_not_an_object');
    const e = raw as Record<string, unknown>;
    if (hasForbiddenOwnKey(e)) fail('forbidden_key');
    // Forbidden names are refused as ids and projects too: consumers key objects by them.
    if (typeof e.id !== 'string' || !ID.test(e.id) || FORBIDDEN.has(e.id)) fail('invalid_id');
    if (typeof e.type !== 'string' || !TYPES.has(e.type)) fail('invalid_type');
    if (!isProjectName(e.project)) fail('invalid_project');
    if (ctx.projects && !ctx.projects.has(e.project as string)) fail('project_not_allowed');
    const anonymousId = text(e.anonymousId, 1, 128, 'invalid_anonymous_id');
    const sessionId = text(e.sessionId, 1, 128, 'invalid_session_id');
    const userId = e.userId === undefined || e.userId === null ? undefined : text(e.userId, 1, 256, 'invalid_user_id');
    if (e.type === 'identify' && userId === undefined) fail('invalid_user_id');

    if (typeof e.ts !== 'string' || e.ts.length > 40 || !ISO_DATE.test(e.ts)) fail('invalid_ts');
    const clientMs = Date.parse(e.ts as string);
    if (Number.isNaN(clientMs)) fail('invalid_ts');
    const serverMs = clientMs + ctx.skewMs;
    if (serverMs > ctx.now + MAX_FUTURE_MS || serverMs < ctx.now - ctx.maxAgeMs) fail('ts_out_of_range');

    const event = {
      id: e.id as string,
      type: e.type as EventType,
      ts: ctx.skewMs === 0 ? new Date(clientMs).toISOString() : new Date(serverMs).toISOString(),
      project: e.project as string,
      anonymousId,
      sessionId,
      ...(userId === undefined ? {} : { userId }),
      page: checkPage(e.page),
      data: checkData(e.type as EventType, e.data),
    } as FeedpulseEvent;
    return ctx.skewMs === 0 ? { ok: true, event } : { ok: true, event, clientTs: e.ts as string };
  } catch (err) {
    if (err instanceof Invalid) return { ok: false, id, reason: err.message };
    throw err;
  }
}

function checkPage(raw: unknown): PageContext {
  if (!isPlainObject(raw) || hasForbiddenOwnKey(raw)) return fail('invalid_page');
  // Context text is clipped, not refused: a long URL or title must not cost the feedback itself.
  const page: PageContext = { url: clip(raw.url, 2048, 'invalid_page'), path: clip(raw.path, 1024, 'invalid_page') };
  const title = optionalClip(raw.title, 512, 'invalid_page');
  const referrer = optionalClip(raw.referrer, 2048, 'invalid_page');
  if (title !== undefined) page.title = title;
  if (referrer !== undefined) page.referrer = referrer;
  return page;
}

function checkData(type: EventType, raw: unknown): FeedpulseEvent['data'] {
  if (raw === undefined && (type === 'pageview' || type === 'identify')) return {};
  if (!isPlainObject(raw) || hasForbiddenOwnKey(raw)) return fail('invalid_data');
  switch (type) {
    case 'feedback': {
      const { scale, rating } = raw;
      if (!isScale(scale)) return fail('invalid_scale');
      if (!isOnScale(rating, scale)) return fail('rating_out_of_range');
      const data: { rating: number; scale: Scale; comment?: string; tags?: string[] } = { rating, scale };
      const comment = optionalClip(raw.comment, 4000, 'invalid_comment');
      if (comment !== undefined) data.comment = comment;
      if (raw.tags !== undefined) {
        if (!Array.isArray(raw.tags) || raw.tags.length > 20) return fail('invalid_tags');
        data.tags = raw.tags.map((tag) => text(tag, 1, 64, 'invalid_tags'));
      }
      return data;
    }
    case 'click': {
      const data: { selector: string; tag: string; text?: string; href?: string } = {
        selector: text(raw.selector, 1, 1024, 'invalid_data'),
        tag: text(raw.tag, 1, 64, 'invalid_data'),
      };
      const label = optionalClip(raw.text, 64, 'invalid_data');
      const href = optionalClip(raw.href, 2048, 'invalid_data');
      if (label !== undefined) data.text = label;
      if (href !== undefined) data.href = href;
      return data;
    }
    case 'track': {
      const data: { name: string; props?: Record<string, unknown> } = { name: text(raw.name, 1, 128, 'invalid_data') };
      if (raw.props !== undefined && raw.props !== null) data.props = freeForm(raw.props, 'invalid_props');
      return data;
    }
    case 'identify': {
      const data: { traits?: Record<string, unknown> } = {};
      if (raw.traits !== undefined && raw.traits !== null) data.traits = freeForm(raw.traits, 'invalid_traits');
      return data;
    }
    case 'pageview':
      return {};
  }
}

const LIMITS = { depth: 4, keys: 50, items: 100, string: 1000, budget: 8192 };

/** A deep copy of user-defined JSON with bounded depth, width and size. */
function freeForm(raw: unknown, reason: string): Record<string, unknown> {
  if (!isPlainObject(raw)) return fail(reason);
  let budget = LIMITS.budget;
  const spend = (n: number) => {
    budget -= n;
    if (budget < 0) fail(reason);
  };
  const copy = (value: unknown, depth: number): unknown => {
    if (value === null || typeof value === 'boolean') return value;
    if (typeof value === 'number') return Number.isFinite(value) ? value : fail(reason);
    if (typeof value === 'string') {
      if (value.length > LIMITS.string) fail(reason);
      spend(value.length + 2);
      return wellFormed(value);
    }
    if (depth >= LIMITS.depth) return fail(reason);
    if (Array.isArray(value)) {
      if (value.length > LIMITS.items) fail(reason);
      spend(2);
      return value.map((item) => copy(item, depth + 1));
    }
    if (!isPlainObject(value)) return fail(reason);
    const keys = Object.keys(value);
    if (keys.length > LIMITS.keys) fail(reason);
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      if (FORBIDDEN.has(key)) fail('forbidden_key');
      if (key.length > 128) fail(reason);
      spend(key.length + 3);
      out[wellFormed(key)] = copy(value[key], depth + 1);
    }
    return out;
  };
  return copy(raw, 0) as Record<string, unknown>;
}

function text(value: unknown, min: number, max: number, reason: string): string {
  if (typeof value !== 'string' || value.length < min || value.length > max) return fail(reason);
  return wellFormed(value);
}

/** A string cut to `max` characters; anything but a string is invalid. */
function clip(value: unknown, max: number, reason: string): string {
  if (typeof value !== 'string') return fail(reason);
  return clipText(wellFormed(value), max);
}

function optionalClip(value: unknown, max: number, reason: string): string | undefined {
  return value === undefined || value === null ? undefined : clip(value, max, reason);
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function hasForbiddenOwnKey(value: Record<string, unknown>): boolean {
  for (const key of FORBIDDEN) if (Object.prototype.hasOwnProperty.call(value, key)) return true;
  return false;
}
