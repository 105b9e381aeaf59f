// The collector's refusals: `{ error: <code>, message: <what it means>, ...extra }`.
import type { ServerResponse } from 'node:http';
import { sendJson } from '../server/json-response.js';
import { ERROR_MESSAGES } from './error-messages.js';

export { sendJson };

/** A refusal: `{ error: <code>, message: <what it means>, ...extra }` (extra may say more). */
export function sendError(res: ServerResponse, status: number, error: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}): void {
  const message = Object.hasOwn(ERROR_MESSAGES, error) ? ERROR_MESSAGES[error] : error.replace(/_/g, ' ');
  sendJson(res, status, { error, message, ...extra }, headers);
}
