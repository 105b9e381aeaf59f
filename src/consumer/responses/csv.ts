// CSV lines per RFC 4180 (CRLF line ends; a field with a comma, quote, CR or LF in double quotes,
// quotes doubled), with the spreadsheet guard: a text cell starting with = + - @ tab or CR is
// prefixed with ' so Excel, LibreOffice and Sheets show it as text instead of running it as a formula.
import { RESPONSE_COLUMNS, type ResponseRow } from './query';

const FORMULA_START = /^[=+\-@\t\r]/;

export function csvField(value: string | number | null | readonly string[]): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  let text = Array.isArray(value) ? value.join(';') : (value as string);
  if (FORMULA_START.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvHeader = (): string => `${RESPONSE_COLUMNS.join(',')}\r\n`;

export const csvLine = (row: ResponseRow): string => `${RESPONSE_COLUMNS.map((c) => csvField(row[c])).join(',')}\r\n`;
