// A tenant's error report as CSV text, what "Download Error Report" saves (the CLI's `tenant download-error-report`
// writes a CSV too): a header row, then one row per event, RFC 4180 — fields holding a comma, a double quote, CR or
// LF are quoted, quotes inside doubled, rows end in CRLF. Times are written as ISO 8601 in UTC rather than the
// service's Unix seconds, which mean little to a person reading the sheet. Fields are written as reported, unaltered.
import type { DeviceInsight } from './sphere-api-types';

export const ERROR_REPORT_COLUMNS = ['Device ID', 'Event Type', 'Event Class', 'Event Category', 'Event Count', 'Description', 'Start Time (UTC)', 'End Time (UTC)'] as const;

/** One field as RFC 4180 writes it. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Unix seconds as ISO 8601 UTC; the number itself when it is no time a Date can hold. */
function utc(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isFinite(seconds) && !Number.isNaN(date.getTime()) ? date.toISOString() : String(seconds);
}

export function insightsToCsv(insights: readonly DeviceInsight[]): string {
  const rows = [ERROR_REPORT_COLUMNS as readonly string[]];
  for (const e of insights) {
    rows.push([e.DeviceId, e.EventType, e.EventClass, e.EventCategory, String(e.EventCount), e.Description ?? '', utc(e.StartTimestampInUnix), utc(e.EndTimestampInUnix)]);
  }
  return rows.map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}
