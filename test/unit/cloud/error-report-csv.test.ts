// The error report as CSV: a header row, one row per event, RFC 4180 quoting. Property-tested: any text a device may
// report — commas, quotes, line breaks, non-Latin letters — reads back field for field with an RFC 4180 reader, and
// a field is quoted exactly when it must be.
import { strict as assert } from 'node:assert';
import fc from 'fast-check';
import type { FleetDeviceInsight } from '../../../src/cloud/backend/fleet-backend';
import { csvField, ERROR_REPORT_COLUMNS, insightsToCsv, unixToUtc } from '../../../src/cloud/error-report-csv';
import { testSeed } from '../../helpers/test-seed';

/** An RFC 4180 reader (records end in CRLF; quoted fields may hold anything, "" being one quote). */
function readCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  let quoted = false;
  while (i < text.length) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i += 2;
      } else if (ch === '"') {
        quoted = false;
        i++;
      } else {
        field += ch;
        i++;
      }
    } else if (ch === '"' && field === '') {
      quoted = true;
      i++;
    } else if (ch === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (ch === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else {
      assert.ok(ch !== '"' && ch !== '\r' && ch !== '\n', `a bare ${JSON.stringify(ch)} outside quotes at ${i}`);
      field += ch;
      i++;
    }
  }
  assert.equal(quoted, false, 'a quote left open');
  assert.equal(field + row.join(''), '', 'the text ends with CRLF');
  return rows;
}

const text = fc.string({ unit: fc.constantFrom('a', 'Z', '7', ' ', ',', '"', '\r', '\n', '=', 'é', '漢', '😀', ';', '\t') as fc.Arbitrary<string>, maxLength: 40 });
const unix = fc.integer({ min: 0, max: 4_102_444_800 });
const insight: fc.Arbitrary<FleetDeviceInsight> = fc.record({
  deviceId: fc.stringMatching(/^[0-9A-F]{128}$/),
  description: text,
  eventCategory: text,
  eventClass: fc.constantFrom('OS', 'Application'),
  eventType: fc.constantFrom('Planned', 'Unplanned'),
  eventCount: fc.integer({ min: 1, max: 100_000 }),
  startUtc: unix.map(unixToUtc),
  endUtc: unix.map(unixToUtc),
});

describe('cloud/error-report-csv', () => {
  it('reads back field for field, whatever the devices reported', () => {
    fc.assert(
      fc.property(fc.array(insight, { maxLength: 8 }), (insights) => {
        const rows = readCsv(insightsToCsv(insights));
        assert.deepEqual(rows[0], [...ERROR_REPORT_COLUMNS]);
        assert.equal(rows.length, insights.length + 1);
        insights.forEach((e, i) => {
          assert.deepEqual(rows[i + 1], [e.deviceId, e.eventType, e.eventClass, e.eventCategory, String(e.eventCount), e.description, e.startUtc, e.endUtc]);
        });
      }),
      { seed: testSeed() },
    );
  });

  it('quotes a field exactly when it holds a comma, a quote, CR or LF', () => {
    fc.assert(
      fc.property(text, (value) => {
        const out = csvField(value);
        const mustQuote = /[",\r\n]/.test(value);
        assert.equal(out.startsWith('"') && out.endsWith('"') && out.length >= 2, mustQuote);
        if (!mustQuote) assert.equal(out, value);
      }),
      { seed: testSeed() },
    );
  });

  it('writes the examples a person would check by eye', () => {
    assert.equal(csvField('exit_code=0, signal_status=11'), '"exit_code=0, signal_status=11"');
    assert.equal(csvField('OS updated to "25.02"'), '"OS updated to ""25.02"""');
    assert.equal(csvField('two\r\nlines'), '"two\r\nlines"');
    assert.equal(csvField('plain'), 'plain');
    assert.equal(insightsToCsv([]), 'Device ID,Event Type,Event Class,Event Category,Event Count,Description,Start Time (UTC),End Time (UTC)\r\n');
    // The legacy service's Unix seconds are written as ISO 8601 UTC.
    assert.deepEqual([unixToUtc(1_700_000_000), unixToUtc(Number.NaN)], ['2023-11-14T22:13:20.000Z', 'NaN']);
    const one = insightsToCsv([{ deviceId: 'AB', description: 'a, b', eventCategory: 'AppCrash', eventClass: 'Application', eventType: 'Unplanned', eventCount: 3, startUtc: unixToUtc(1_700_000_000), endUtc: unixToUtc(1_700_000_600) }]);
    assert.equal(one.split('\r\n')[1], 'AB,Unplanned,Application,AppCrash,3,"a, b",2023-11-14T22:13:20.000Z,2023-11-14T22:23:20.000Z');
  });
});
