// Alert rules: their types, and validation of a rules file (feedpulse.alerts.json), so a typo fails
// loudly at start with the rule's position instead of silently never alerting.
import { readFile } from 'node:fs/promises';
import type { Scale } from '../../core/types';
import { isScale } from '../analysis/scales';
import { DEFAULT_RULES } from './default-rules';

export type Severity = 'critical' | 'warning';
interface RuleBase { name: string; severity?: Severity }
/** A rating at or below `max` on one of `scales`. */
export interface RatingRule extends RuleBase { type: 'rating'; scales: Scale[]; max: number }
/** A comment whose AFINN score is below `below`. */
export interface SentimentRule extends RuleBase { type: 'sentiment'; below: number }
/** A comment containing any of `keywords` (whole words or phrases, any case). */
export interface KeywordRule extends RuleBase { type: 'keyword'; keywords: string[] }
/** The rolling average of the last `sample` ratings on `scale` fell by `by` within `withinMinutes`. */
export interface DropRule extends RuleBase { type: 'drop'; scale: Scale; by: number; withinMinutes: number; sample?: number }
export type AlertRule = RatingRule | SentimentRule | KeywordRule | DropRule;

export interface RulesFile {
  rules: AlertRule[];
  /** Minutes in which further alert-worthy events of one visitor join their first alert (default 30, 0 = off). */
  sameVisitorMinutes?: number;
  /** The webhook is for fresh feedback: an alert whose feedback is older than this many minutes is
   *  shown but not sent, and a failing webhook is retried until then (default 60). */
  sendWithinMinutes?: number;
}

/** Default of `sendWithinMinutes`. */
export const SEND_WITHIN_MINUTES = 60;

const fail = (where: string, what: string): never => { throw new Error(`alert rules: ${where}: ${what}`); };

/** The fields each rule type reads. Anything else is a typo ("severty", "sampel") that would silently keep a default. */
const RULE_FIELDS: Record<AlertRule['type'], readonly string[]> = {
  rating: ['scales', 'max'], sentiment: ['below'], keyword: ['keywords'], drop: ['scale', 'by', 'withinMinutes', 'sample'],
};
const COMMON_FIELDS = ['name', 'type', 'severity'];
const FILE_FIELDS = ['rules', 'sameVisitorMinutes', 'sendWithinMinutes'];

/** Keys starting with "_" or "$" (comments, "$schema") are left alone. */
function rejectUnknown(where: string, obj: Record<string, unknown>, allowed: readonly string[]): void {
  const unknown = Object.keys(obj).filter((k) => !allowed.includes(k) && !/^[_$]/.test(k));
  if (!unknown.length) return;
  const key = unknown[0];
  const near = allowed.find((a) => a.toLowerCase() === key.toLowerCase() || editDistance(a.toLowerCase(), key.toLowerCase()) <= 2);
  fail(where, `unknown field "${key}"${near ? ` (did you mean "${near}"?)` : ''}; allowed: ${allowed.join(', ')}`);
}

function editDistance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j] + 1, next[j - 1] + 1, row[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length];
}
const isNumber = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function parseRule(raw: unknown, index: number): AlertRule {
  const where = `rules[${index}]`;
  if (!raw || typeof raw !== 'object') return fail(where, 'must be an object');
  const r = raw as Record<string, unknown>;
  const name = typeof r.name === 'string' && r.name.trim() ? r.name.trim() : fail(where, '"name" must be a non-empty string');
  const at = `${where} "${name}"`;
  if (r.severity !== undefined && r.severity !== 'critical' && r.severity !== 'warning') fail(at, '"severity" must be "critical" or "warning"');
  const severity = (r.severity as Severity | undefined) ?? 'warning';
  if (typeof r.type === 'string' && Object.hasOwn(RULE_FIELDS, r.type)) rejectUnknown(at, r, [...COMMON_FIELDS, ...RULE_FIELDS[r.type as AlertRule['type']]]);
  switch (r.type) {
    case 'rating': {
      const scales = Array.isArray(r.scales) && r.scales.length && r.scales.every(isScale) ? (r.scales as Scale[])
        : fail(at, '"scales" must list stars, emoji, nps and/or thumbs');
      if (!isNumber(r.max)) fail(at, '"max" must be a number');
      return { name, severity, type: 'rating', scales, max: r.max as number };
    }
    case 'sentiment':
      if (!isNumber(r.below)) fail(at, '"below" must be a number (AFINN score, e.g. -3)');
      return { name, severity, type: 'sentiment', below: r.below as number };
    case 'keyword': {
      const ok = Array.isArray(r.keywords) && r.keywords.length && r.keywords.every((k) => typeof k === 'string' && k.trim());
      if (!ok) fail(at, '"keywords" must be a non-empty list of strings');
      return { name, severity, type: 'keyword', keywords: (r.keywords as string[]).map((k) => k.trim()) };
    }
    case 'drop': {
      if (!isScale(r.scale)) fail(at, '"scale" must be stars, emoji, nps or thumbs');
      if (!isNumber(r.by) || (r.by as number) <= 0) fail(at, '"by" must be a positive number');
      if (!isNumber(r.withinMinutes) || (r.withinMinutes as number) <= 0) fail(at, '"withinMinutes" must be a positive number');
      if (r.sample !== undefined && (!Number.isInteger(r.sample) || (r.sample as number) < 2)) fail(at, '"sample" must be an integer ≥ 2');
      return { name, severity, type: 'drop', scale: r.scale as Scale, by: r.by as number, withinMinutes: r.withinMinutes as number, sample: (r.sample as number | undefined) ?? 30 };
    }
    default:
      return fail(at, '"type" must be rating, sentiment, keyword or drop');
  }
}

export function parseRules(json: unknown): AlertRule[] {
  const list = Array.isArray(json) ? json : (json as RulesFile | null)?.rules;
  if (!Array.isArray(list)) fail('file', 'expected { "rules": [ ... ] }');
  if (!Array.isArray(json)) rejectUnknown('file', json as Record<string, unknown>, FILE_FIELDS);
  const rules = (list as unknown[]).map(parseRule);
  const names = new Set<string>();
  for (const r of rules) {
    if (names.has(r.name)) fail(`rule "${r.name}"`, 'names must be unique');
    names.add(r.name);
  }
  return rules;
}

/** A file-level minutes setting; undefined when absent. `zeroMeansOff`: 0 is allowed (≥ 0), else > 0. */
function parseMinutes(json: unknown, field: 'sameVisitorMinutes' | 'sendWithinMinutes', zeroMeansOff: boolean): number | undefined {
  const v = (json as RulesFile | null)?.[field];
  if (v === undefined || Array.isArray(json)) return undefined;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || (v === 0 && !zeroMeansOff)) fail('file', `"${field}" must be a number ${zeroMeansOff ? '≥' : '>'} 0`);
  return v;
}

/** What loadRules gives: the rules, where they came from, and the file's settings. */
export interface LoadedRules { rules: AlertRule[]; source: string; sameVisitorMinutes?: number; sendWithinMinutes?: number }

/** Rules from `file` when given; otherwise ./feedpulse.alerts.json if present; otherwise the defaults. */
export async function loadRules(file?: string): Promise<LoadedRules> {
  const path = file ?? 'feedpulse.alerts.json';
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if (file) throw new Error(`alert rules: cannot read ${file}: ${(err as Error).message}`);
    return { rules: DEFAULT_RULES, source: 'built-in defaults' };
  }
  let json: unknown;
  try { json = JSON.parse(text); } catch (err) { throw new Error(`alert rules: ${path} is not JSON: ${(err as Error).message}`); }
  return { rules: parseRules(json), source: path, sameVisitorMinutes: parseMinutes(json, 'sameVisitorMinutes', true), sendWithinMinutes: parseMinutes(json, 'sendWithinMinutes', false) };
}
