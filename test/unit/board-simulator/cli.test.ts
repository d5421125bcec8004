// `npm run sim` as a process: it comes up with its link and announcement and, on SIGTERM/SIGINT, removes both and
// exits 0. Bad arguments are refused before anything is created.
import * as assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseCommandLine } from '../../../emulator/board/main';
import { waitFor } from '../../helpers/board-fixture';

const REPO = path.resolve(__dirname, '../../..');
const TSX = path.join(REPO, 'node_modules', '.bin', 'tsx');

function exitOf(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('board-sim CLI', function () {
  this.timeout(30_000);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'board-sim-cli-'));
  after(() => fs.rmSync(root, { recursive: true, force: true }));

  for (const signal of ['SIGTERM', 'SIGINT'] as const) {
    it(`serves until ${signal}, then removes its link and announcement and exits 0`, async () => {
      const link = path.join(root, `tty-${signal}`);
      const registry = path.join(root, `registry-${signal}`);
      // With --seed the faults' seed is the one given; without, one is picked: either way the startup lines show it.
      const seedArgs = signal === 'SIGTERM' ? ['--seed', '42'] : [];
      const child = spawn(TSX, ['emulator/board/main.ts', '--link', link, '--state', path.join(root, 'state'), '--baud', '115200', '--name', 'cli-board', ...seedArgs], {
        cwd: REPO, env: { ...process.env, SPHERE_SIM_REGISTRY: registry }, stdio: ['ignore', 'pipe', 'pipe'],
      });
      let stdout = '';
      child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
      const exited = exitOf(child);
      // Only *.json counts: the announcement is written to a temp file first and renamed into place.
      const announced = () => (fs.existsSync(registry) ? fs.readdirSync(registry).filter((f) => f.endsWith('.json')) : []);
      const files = await waitFor(() => (announced().length > 0 ? announced() : undefined), 'the announcement', 20_000);
      const announcement = JSON.parse(fs.readFileSync(path.join(registry, files[0]), 'utf8'));
      assert.equal(announcement.linkPath, link);
      assert.equal(announcement.baud, 115200);
      assert.equal(announcement.name, 'cli-board');
      // tsx runs the board in a child of its own; the announced pid is the process that serves the board.
      assert.doesNotThrow(() => process.kill(announcement.pid, 0));
      assert.ok(fs.lstatSync(link).isSymbolicLink());
      const seedLine = await waitFor(() => /faults {4}: .*seed (\d+) \(replay with --seed \1\)/.exec(stdout) ?? undefined, 'the faults line', 5_000);
      if (seedArgs.length > 0) assert.equal(seedLine[1], '42');
      child.kill(signal);
      assert.equal(await exited, 0);
      assert.equal(fs.existsSync(link), false);
      assert.deepEqual(fs.readdirSync(registry), []);
    });
  }

  it('refuses bad arguments with a clear message', () => {
    assert.throws(() => parseCommandLine([]), /--link PATH is required/);
    assert.throws(() => parseCommandLine(['--link', 'x', '--baud', 'fast']), /--baud must be a positive integer, got "fast"/);
    assert.throws(() => parseCommandLine(['--link', 'x', '--drop', '1.5']), /--drop must be a rate between 0 and 1/);
    assert.throws(() => parseCommandLine(['--link', 'x', '--corrupt=-0.1']), /--corrupt must be a rate between 0 and 1/);
    assert.throws(() => parseCommandLine(['--link', 'x', '--bogus']), /Unknown option '--bogus'/);
    assert.throws(() => parseCommandLine(['--link', 'x', '--seed=-1']), /--seed must be an integer from 0 to 4294967295, got "-1"/);
    assert.throws(() => parseCommandLine(['--link', 'x', '--seed', '4294967296']), /--seed must be an integer/);
    assert.throws(() => parseCommandLine(['--link', 'x', '--seed', '1.5']), /--seed must be an integer/);
    assert.equal(parseCommandLine(['--link', 'x', '--seed', '42']).faultSeed, 42);
    assert.equal(parseCommandLine(['--link', 'x', '--seed', '0xffffffff']).faultSeed, 0xffffffff);
    const parsed = parseCommandLine(['--link', 'x', '--name', 'n']);
    assert.equal(parsed.baud, 921600);
    assert.equal(parsed.linkPath, path.resolve('x'));
    assert.equal(parsed.stateDir, path.resolve('.state', 'boards', 'n'));
    assert.equal(parsed.faultSeed, undefined, 'no seed given: the board picks one');
  });

  it('takes the cloud to attest to, its CA and the DPS host, and refuses bad ones', () => {
    const caFile = path.join(root, 'cloud-ca.pem');
    fs.writeFileSync(caFile, '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n');
    const parsed = parseCommandLine(['--link', 'x', '--cloud', 'https://127.0.0.1:48443/', '--cloud-ca', caFile, '--provisioning-host', '127.0.0.1:40002']);
    assert.equal(parsed.cloudUrl, 'https://127.0.0.1:48443');
    assert.match(parsed.cloudCaPem ?? '', /BEGIN CERTIFICATE/);
    assert.equal(parsed.provisioningHost, '127.0.0.1:40002');
    assert.equal(parseCommandLine(['--link', 'x']).cloudUrl, undefined);
    assert.throws(() => parseCommandLine(['--link', 'x', '--cloud', 'http://127.0.0.1:48443']), /--cloud must be an https:\/\/ URL/);
    assert.throws(() => parseCommandLine(['--link', 'x', '--cloud', 'not a url']), /--cloud must be a URL/);
    assert.throws(() => parseCommandLine(['--link', 'x', '--cloud-ca', caFile]), /--cloud-ca needs --cloud URL/);
    assert.throws(() => parseCommandLine(['--link', 'x', '--cloud', 'https://h', '--cloud-ca', path.join(root, 'missing.pem')]), /--cloud-ca .*missing\.pem: ENOENT/);
    assert.throws(() => parseCommandLine(['--link', 'x', '--cloud', 'https://h', '--cloud-ca', path.join(root, 'state')]), /--cloud-ca/);
    assert.throws(() => parseCommandLine(['--link', 'x', '--provisioning-host', 'dps:99999']), /--provisioning-host must be HOST or HOST:PORT/);
    assert.throws(() => parseCommandLine(['--link', 'x', '--provisioning-host', 'https://dps']), /--provisioning-host must be HOST or HOST:PORT/);
  });

  it('takes the update check interval in seconds, with the cloud it checks with', () => {
    assert.deepEqual(parseCommandLine(['--link', 'x', '--cloud', 'https://h', '--update-interval', '30']).updateTiming, { checkMs: 30_000, retryMaxMs: 600_000 });
    assert.deepEqual(parseCommandLine(['--link', 'x', '--cloud', 'https://h', '--update-interval', '3600']).updateTiming, { checkMs: 3_600_000, retryMaxMs: 36_000_000 });
    assert.equal(parseCommandLine(['--link', 'x', '--cloud', 'https://h']).updateTiming, undefined, 'the default: 60 s');
    assert.throws(() => parseCommandLine(['--link', 'x', '--update-interval', '30']), /--update-interval needs --cloud URL/);
    for (const bad of ['0', '1.5', 'soon', '86401']) {
      assert.throws(() => parseCommandLine(['--link', 'x', '--cloud', 'https://h', '--update-interval', bad]), /--update-interval must be a whole number of seconds from 1 to 86400/);
    }
  });

  it('exits 2 without creating anything when an argument is bad', async () => {
    const link = path.join(root, 'tty-bad');
    const child = spawn(TSX, ['emulator/board/main.ts', '--link', link, '--baud', '0'], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    assert.equal(await exitOf(child), 2);
    assert.match(stderr, /--baud must be a positive integer/);
    assert.equal(fs.existsSync(link), false);
  });
});
