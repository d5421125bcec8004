// A command failing to reach a board offers "Troubleshoot Connection" next to "Show Log"; other failures do not.
import { strict as assert } from 'node:assert';
import { runWithErrorBoundary, type ErrorPresenter } from '../../../src/common/error-boundary';
import { UserFacingError } from '../../../src/common/errors';
import { DeviceError } from '../../../src/device/device-error';
import { SerialLink } from '../../../src/device/serial-link';
import { isConnectionFailure, troubleshootActionsFor, TROUBLESHOOT_ACTION } from '../../../src/doctor/connection-failure';
import { BoardFailure } from '../../../src/boards/device-errors';

const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {} };

function presenter(pick: string | undefined, shown: string[][], ran: string[]): ErrorPresenter {
  return {
    showError: async (message, ...actions) => {
      shown.push([message, ...actions]);
      return pick;
    },
    showLog: () => void ran.push('log'),
    actionsFor: (err) => troubleshootActionsFor(err, (target) => void ran.push(`doctor ${target.boardKey ?? '(selected board)'}`)),
  };
}

describe('doctor: offered on connection errors', () => {
  it('a port that cannot be opened (a real serialport error, wrapped for the user) offers the doctor, and picking it runs it', async () => {
    const cause = await SerialLink.open({ path: '/nonexistent/ttyUSB9', rtscts: false }).then(() => undefined, (e: unknown) => e);
    assert.ok(cause instanceof DeviceError && cause.code === 'CONNECTION_FAILED');
    const shown: string[][] = [];
    const ran: string[] = [];
    await runWithErrorBoundary('Show Device Details', () => {
      throw new UserFacingError(`Could not read the device on board X: ${cause.message}`, 'CONNECTION_FAILED', { cause });
    }, silent, presenter(TROUBLESHOOT_ACTION, shown, ran));
    assert.deepEqual(shown[0]!.slice(1), [TROUBLESHOOT_ACTION, 'Show Log']);
    assert.deepEqual(ran, ['doctor (selected board)']);
  });

  it('the doctor looks at the board whose command failed, not whichever is selected', async () => {
    const ran: string[] = [];
    await runWithErrorBoundary('Restart Device', () => {
      throw new BoardFailure('Could not restart the device on board B: timed out', 'TIMEOUT', 'serial:/dev/ttyB', { cause: new DeviceError('TIMEOUT', 'timed out') });
    }, silent, presenter(TROUBLESHOOT_ACTION, [], ran));
    assert.deepEqual(ran, ['doctor serial:/dev/ttyB']);
  });

  it('a board that answered (device error) or input refused before sending does not', () => {
    assert.equal(isConnectionFailure(new DeviceError('DEVICE_ERROR', 'Network not found', { httpStatus: 404, deviceError: 13631491 })), false);
    assert.equal(isConnectionFailure(new UserFacingError('bad', undefined, { cause: new DeviceError('INVALID_INPUT', 'SSID too long') })), false);
    assert.equal(isConnectionFailure(new Error('unrelated')), false);
    for (const code of ['TIMEOUT', 'LINK_DOWN', 'TLS_PIN_MISMATCH', 'CONNECTION_LOST'] as const) assert.equal(isConnectionFailure(new DeviceError(code, 'x')), true, code);
  });
});
