// A tenant's or catalog's error report as CSV text, what "Download Error Report" saves (the CLI's `tenant
// download-error-report` writes a CSV too): a header row, then one row per event, RFC 4180 — fields holding a comma, a
// double quote, CR or LF are quoted, quotes inside doubled, rows end in CRLF. Times are written as ISO 8601 in UTC (the
// legacy service's Unix seconds mean little to a person reading the sheet; ARM gives ISO already). Fields are written
// as reported, unaltered.
import type { FleetDeviceInsight } from './backend/fleet-backend';

export const ERROR_REPORT_COLUMNS = ['Device ID', 'Event Type', 'Event Class', 'Event Category', 'Event Count', 'Description', 'Start Time (UTC)', 'End Time (UTC)'] as const;

/** One field as RFC 4180 writes it. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

/** Unix seconds as ISO 8601 UTC; the number itself when it is no time a Date can hold. */
export function unixToUtc(seconds: number): string {
  const date = new Date(seconds * 1000);
  return Number.isFinite(seconds) && !Number.isNaN(date.getTime()) ? date.toISOString() : String(seconds);
}

export function insightsToCsv(insights: readonly FleetDeviceInsight[]): string {
  const rows = [ERROR_REPORT_COLUMNS as readonly string[]];
  for (const e of insights) {
    rows.push([e.deviceId, e.eventType, e.eventClass, e.eventCategory, String(e.eventCount), e.description, e.startUtc, e.endUtc]);
  }
  return rows.map((row) => `${row.map(csvField).join(',')}\r\n`).join('');
}
