// Binary diagnostics: `GET /log` and `GET /telemetry` answer application/octet-stream; `DELETE /telemetry` clears
// the error reports. The content is a small synthetic record (real boards send an opaque binary format).
import type { BoardContext } from './context';
import { ok, type Router } from './http-kit';

function diagnosticRecord(kind: string, board: BoardContext): Buffer {
  return Buffer.from(`${kind}\0device=${board.deviceId}\0uptime=${board.uptimeSeconds()}\0`, 'utf8');
}

export function addDiagnosticsRoutes(router: Router, board: BoardContext): void {
  let telemetryCleared = false;
  router
    .add('GET', '/log', () => ({ status: 200, body: diagnosticRecord('SIMLOG', board), contentType: 'application/octet-stream' }))
    .add('GET', '/telemetry', () => ({
      status: 200,
      body: telemetryCleared ? Buffer.alloc(0) : diagnosticRecord('SIMTELEMETRY', board),
      contentType: 'application/octet-stream',
    }))
    .add('DELETE', '/telemetry', () => {
      telemetryCleared = true;
      return ok();
    });
}
