// Event volume: totals per type, events per minute (last hour) and feedback per day.
import type { EventType } from '../../core/types';
import { dayKey, minuteKey, minuteStart, trimDays, trimMinutes } from './time';
import { emptyRecord } from '../records';

export interface VolumeState {
  total: number;
  byType: Partial<Record<EventType, number>>;
  byMinute: Record<number, number>;
  byDay: Record<string, number>;
  newestMinute: number;
}

export const createVolume = (): VolumeState => ({ total: 0, byType: emptyRecord(), byMinute: emptyRecord(), byDay: emptyRecord(), newestMinute: 0 });

export function applyVolume(state: VolumeState, type: EventType, at: number): void {
  state.total += 1;
  state.byType[type] = (state.byType[type] ?? 0) + 1;
  const minute = minuteKey(at);
  state.byMinute[minute] = (state.byMinute[minute] ?? 0) + 1;
  if (minute > state.newestMinute) {
    const previous = state.newestMinute;
    state.newestMinute = minute;
    trimMinutes(state.byMinute, minute, 24 * 60, previous);
  }
  const day = dayKey(at);
  const fresh = state.byDay[day] === undefined;
  state.byDay[day] = (state.byDay[day] ?? 0) + 1;
  if (fresh) trimDays(state.byDay, 90);
}

export function volumeView(state: VolumeState, minutes = 60, days = 14) {
  const perMinute = [];
  for (let m = state.newestMinute - minutes + 1; m <= state.newestMinute; m++) {
    perMinute.push({ at: minuteStart(m), count: state.byMinute[m] ?? 0 });
  }
  return {
    total: state.total,
    byType: { ...state.byType },
    perMinute,
    perDay: Object.keys(state.byDay).sort().slice(-days).map((day) => ({ day, count: state.byDay[day] })),
  };
}
