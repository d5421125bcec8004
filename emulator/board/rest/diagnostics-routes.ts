// Binary diagnostics: `GET /log` and `GET /telemetry` answer application/octet-stream; `DELETE /telemetry` clears
// the error reports. Real boards send undocumented binary formats; the simulator sends small synthetic records.
import type { BoardContext } from './context';
import { ok, type Router } from './http-kit';

function diagnosticRecord(kind: string, board: BoardContext): Buffer {
  return Buffer.from(`${kind}\0device=${board.deviceId}\0uptime=${board.uptimeSeconds()}\0`, 'utf8');
}

/** Version byte and two reserved bytes before the length, then the big-endian length of what follows. */
const TELEMETRY_HEADER_BYTES = 5;

/**
 * The error-report data: a 5-byte header whose bytes 3–4 hold the big-endian length of the records after it — the
 * one part of the format the public clients read (Azure/azure-sphere-tools, C# `ClearErrorReportDataTests.cs`:
 * `b[3] << 8 | b[4]`, 0 once cleared) — then the records. Cleared, it is the header alone with length 0.
 */
function telemetryFile(records: Buffer): Buffer {
  const length = Math.min(records.length, 0xffff);
  const header = Buffer.from([1, 0, 0, length >> 8, length & 0xff]);
  return Buffer.concat([header, records.subarray(0, length)], TELEMETRY_HEADER_BYTES + length);
}

export function addDiagnosticsRoutes(router: Router, board: BoardContext): void {
  let telemetryCleared = false;
  router
    .add('GET', '/log', () => ({ status: 200, body: diagnosticRecord('SIMLOG', board), contentType: 'application/octet-stream' }))
    .add('GET', '/telemetry', () => ({
      status: 200,
      body: telemetryFile(telemetryCleared ? Buffer.alloc(0) : diagnosticRecord('SIMTELEMETRY', board)),
      contentType: 'application/octet-stream',
    }))
    .add('DELETE', '/telemetry', () => {
      telemetryCleared = true;
      return ok();
    });
}
