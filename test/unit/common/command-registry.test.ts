import * as assert from 'node:assert/strict';
import { registerCommands, type CommandModule } from '../../../src/common/command-registry';
import { SHOW_LOG_ACTION, type ErrorPresenter } from '../../../src/common/error-boundary';
import { CancelledError, UserFacingError } from '../../../src/common/errors';
import { toDisposable } from '../../../src/common/lifecycle';
import { CancelledError as CloudCancelledError } from '../../../src/cloud/errors';
import type { Logger } from '../../../src/common/logger';

/** Records what the boundary logs and shows, and answers the message with `pick`. */
function recorder(pick?: string) {
  const logged: string[] = [];
  const shown: { message: string; actions: string[] }[] = [];
  let logShown = 0;
  const line = (level: string) => (m: unknown) => logged.push(`${level} ${m instanceof Error ? `${m.message}\n${m.stack}` : m}`);
  const log: Logger = { trace: line('trace'), debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
  const presenter: ErrorPresenter = {
    showError: async (message, ...actions) => {
      shown.push({ message, actions });
      return pick;
    },
    showLog: () => logShown++,
  };
  return { log, presenter, logged, shown, logShownCount: () => logShown };
}

function registry(commands: CommandModule<{ n: number }>[], rec = recorder()) {
  const handlers = new Map<string, (...args: unknown[]) => unknown>();
  const disposed: string[] = [];
  const disposables = registerCommands(commands, { n: 41 }, {
    register: (id, handler) => {
      handlers.set(id, handler);
      return toDisposable(() => disposed.push(id));
    },
    titleOf: (id) => `Azure Sphere: ${id.split('.')[1]}`,
    log: rec.log,
    presenter: rec.presenter,
  });
  return { handlers, disposables, disposed, rec };
}

describe('command registry', () => {
  it('registers every module under its id and passes the services and arguments', async () => {
    const { handlers } = registry([
      { id: 'sphereExplorer.add', run: (s, x) => s.n + (x as number) },
      { id: 'sphereExplorer.other', run: () => 'other' },
    ]);
    assert.deepEqual([...handlers.keys()], ['sphereExplorer.add', 'sphereExplorer.other']);
    assert.equal(await handlers.get('sphereExplorer.add')!(1), 42);
  });

  it('refuses two modules with the same id', () => {
    assert.throws(
      () => registry([{ id: 'sphereExplorer.x', run: () => 1 }, { id: 'sphereExplorer.x', run: () => 2 }]),
      /sphereExplorer\.x is registered twice/,
    );
  });

  it('returns one disposable per command that unregisters it', () => {
    const { disposables, disposed } = registry([{ id: 'sphereExplorer.a', run: () => 1 }, { id: 'sphereExplorer.b', run: () => 2 }]);
    disposables.forEach((d) => d.dispose());
    assert.deepEqual(disposed, ['sphereExplorer.a', 'sphereExplorer.b']);
  });
});

describe('error boundary', () => {
  it('shows one message naming the command, with Show Log, and logs the stack', async () => {
    const rec = recorder();
    const { handlers } = registry([{ id: 'sphereExplorer.claim', run: () => { throw new Error('socket hang up'); } }], rec);
    assert.equal(await handlers.get('sphereExplorer.claim')!(), undefined);
    assert.deepEqual(rec.shown, [{ message: 'Azure Sphere: claim failed: socket hang up', actions: [SHOW_LOG_ACTION] }]);
    assert.ok(rec.logged.some((l) => l.startsWith('error socket hang up') && l.includes('command-registry.test')), 'stack in the log');
  });

  it("shows a UserFacingError's own message and logs its detail only", async () => {
    const rec = recorder();
    const { handlers } = registry([{
      id: 'sphereExplorer.wifi',
      run: async () => { throw new UserFacingError('The board did not answer. Reconnect the USB cable.', 'ETIMEDOUT after 3 retransmits'); },
    }], rec);
    await handlers.get('sphereExplorer.wifi')!();
    assert.equal(rec.shown[0].message, 'The board did not answer. Reconnect the USB cable.');
    assert.ok(rec.logged.some((l) => l.includes('ETIMEDOUT after 3 retransmits')));
    assert.ok(!rec.shown[0].message.includes('ETIMEDOUT'));
  });

  it('opens the log when the user picks Show Log', async () => {
    const rec = recorder(SHOW_LOG_ACTION);
    const { handlers } = registry([{ id: 'sphereExplorer.x', run: () => Promise.reject(new Error('no')) }], rec);
    await handlers.get('sphereExplorer.x')!();
    assert.equal(rec.logShownCount(), 1);
  });

  it("treats the cloud layer's cancellation (a user cancelling sign-in) as no failure too: it is the same class", async () => {
    assert.equal(CloudCancelledError, CancelledError, 'one CancelledError across the layers');
    const rec = recorder();
    const { handlers } = registry([{ id: 'sphereExplorer.x', run: () => Promise.reject(new CloudCancelledError('Sign-in was cancelled.')) }], rec);
    await handlers.get('sphereExplorer.x')!();
    assert.deepEqual(rec.shown, []);
  });

  it('treats cancellation as no failure: nothing shown', async () => {
    const rec = recorder();
    const { handlers } = registry([{ id: 'sphereExplorer.x', run: () => { throw new CancelledError(); } }], rec);
    await handlers.get('sphereExplorer.x')!();
    assert.deepEqual(rec.shown, []);
    assert.ok(rec.logged.some((l) => l.includes('cancelled')));
  });
});
