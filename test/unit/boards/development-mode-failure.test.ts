// A board refusing to run or debug apps because it is not in development mode offers "Enable Development" on that
// board; other failures do not.
import { strict as assert } from 'node:assert';
import { BoardFailure } from '../../../src/boards/device-errors';
import { developmentActionsFor, ENABLE_DEVELOPMENT_BUTTON } from '../../../src/boards/development-mode-failure';
import { DeviceError } from '../../../src/device/device-error';

const refusal = (deviceError: number) => new DeviceError('DEVICE_ERROR', 'refused', { httpStatus: 400, deviceError });

describe('boards: Enable Development offered on development-mode refusals', () => {
  it('a refused sideload on a named board offers Enable Development on that board', () => {
    const ran: (string | undefined)[] = [];
    const err = new BoardFailure('Could not deploy blink.imagepackage on lab-1', 'DEVICE_ERROR', 'serial:/dev/pts/3', { cause: refusal(7340047) });
    const actions = developmentActionsFor(err, (target) => ran.push(target.boardKey));
    assert.deepEqual(actions.map((a) => a.label), [ENABLE_DEVELOPMENT_BUTTON]);
    actions[0]!.run();
    assert.deepEqual(ran, ['serial:/dev/pts/3']);
  });

  it('no debugger and app operations refused (1048596) offer it too; other device errors and plain errors do not', () => {
    assert.equal(developmentActionsFor(refusal(3145738), () => undefined).length, 1);
    assert.equal(developmentActionsFor(refusal(1048596), () => undefined).length, 1);
    assert.equal(developmentActionsFor(refusal(14680076), () => undefined).length, 0, 'application not present');
    assert.equal(developmentActionsFor(new DeviceError('TIMEOUT', 'no answer'), () => undefined).length, 0);
    assert.equal(developmentActionsFor(new Error('unrelated'), () => undefined).length, 0);
  });
});
