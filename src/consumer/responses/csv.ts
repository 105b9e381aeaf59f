// CSV lines per RFC 4180 (CRLF line ends; a field with a comma, quote, CR or LF in double quotes,
// quotes doubled), with the spreadsheet guard: a text cell starting with = + - @ tab or CR is
// prefixed with ' so Excel, LibreOffice and Sheets show it as text instead of running it as a formula.
// The same goes inside the text wherever a spreadsheet may start a cell: after a ; (Excel in locales
// whose list separator is ;, as in de, fr and es, splits each line at ; and takes a quote only at
// the start of a cell, so the commas and quotes of this file do not hold there), and after a line
// break or a tab.
import { RESPONSE_COLUMNS, type ResponseRow } from './query';

const FORMULA_START = /^[=+\-@\t\r]/;
const FORMULA_INSIDE = /([;\t\r\n])(?=[=+\-@])/g;

export function csvField(value: string | number | null | readonly string[]): string {
  if (value === null) return '';
  if (typeof value === 'number') return String(value);
  let text = Array.isArray(value) ? value.join(';') : (value as string);
  if (FORMULA_START.test(text)) text = `'${text}`;
  text = text.replace(FORMULA_INSIDE, "$1'");
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export const csvHeader = (): string => `${RESPONSE_COLUMNS.join(',')}\r\n`;

export const csvLine = (row: ResponseRow): string => `${RESPONSE_COLUMNS.map((c) => csvField(row[c])).join(',')}\r\n`;
