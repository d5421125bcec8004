// Starts the local cloud emulator (seeded) and a simulated board, each in its own process group, and returns the
// editor settings that point Sphere Explorer at them. Used by `npm start` and the real-editor tests.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { spawnGroup } from './code-server.mjs';
import { toolPaths } from '../../scripts/tools.mjs';

/** Runs a TypeScript entry point with tsx; resolves once `ready(line)` matches a stdout line. */
async function startTs(entry, args, { ready, name, timeoutMs = 60_000, log }) {
  const proc = spawnGroup(process.execPath, ['--import', 'tsx', entry, ...args], { cwd: toolPaths.root, env: process.env });
  let seen = '';
  const result = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${name} was not ready within ${timeoutMs / 1000} s:\n${seen}`)), timeoutMs);
    proc.child.stdout.on('data', (chunk) => {
      seen += chunk;
      for (const line of seen.split('\n')) {
        const hit = ready(line);
        if (hit) {
          clearTimeout(timer);
          resolve(hit);
          return;
        }
      }
    });
    proc.child.stderr.on('data', (chunk) => {
      seen += chunk;
      log?.write(chunk);
    });
    proc.exited.then((code) => reject(new Error(`${name} exited (${code}) before it was ready:\n${seen}`)));
  }).catch(async (err) => {
    await proc.stop();
    throw err;
  });
  if (log) proc.child.stdout.pipe(log, { end: false });
  else proc.child.stdout.resume();
  return { proc, result, seen };
}

/**
 * Settings that point the extension at a cloud emulator (and never turn a TLS check off).
 * @param {{ url: string, caCertPath: string }} emulator
 */
export function cloudSettingsFor({ url, caCertPath }) {
  return {
    'sphereExplorer.cloud.authorityHost': url,
    'sphereExplorer.cloud.apiEndpoint': `${url}/v2/`,
    'sphereExplorer.cloud.armEndpoint': `${url}/`,
    'sphereExplorer.cloud.caFile': caCertPath,
  };
}

/**
 * @param {{ stateDir: string, emulatorPort?: number, log?: NodeJS.WritableStream }} opts
 */
export async function startLocalServices({ stateDir, emulatorPort, log }) {
  mkdirSync(stateDir, { recursive: true });
  const emulator = await startTs(
    'emulator/cloud/main.ts',
    ['--state', join(stateDir, 'cloud'), '--seed', ...(emulatorPort !== undefined ? ['--port', String(emulatorPort)] : []), ...(log ? [] : ['--quiet'])],
    {
      name: 'the cloud emulator',
      log,
      ready: (line) => {
        try {
          const event = JSON.parse(line);
          return event.event === 'listening' ? event : undefined;
        } catch {
          return undefined;
        }
      },
    },
  );
  // The board attests to this emulator for its daily device certificate, and its apps register on the emulator's DPS
  // endpoint (provisioningHost, in the listening line once the emulator serves DPS; else the board's default).
  const { provisioningHost } = emulator.result;
  const cloudArgs = ['--cloud', emulator.result.url, '--cloud-ca', emulator.result.caCertPath, ...(provisioningHost ? ['--provisioning-host', provisioningHost] : [])];
  let board;
  try {
    board = await startTs(
      'emulator/board/main.ts',
      ['--link', join(stateDir, 'boards/board-1'), '--state', join(stateDir, 'board-1'), '--name', 'Simulated MT3620', ...cloudArgs],
      { name: 'the board simulator', log, ready: (line) => /device ID\s*:\s*\S+/.test(line) && line },
    );
  } catch (err) {
    await emulator.proc.stop();
    throw err;
  }
  const { url, caCertPath } = emulator.result;
  const deviceId = /device ID\s*:\s*(\S+)/.exec(board.seen)?.[1];
  return {
    emulator: { url, caCertPath },
    board: { deviceId, linkPath: join(stateDir, 'boards/board-1') },
    settings: cloudSettingsFor({ url, caCertPath }),
    async stop() {
      await Promise.all([board.proc.stop(), emulator.proc.stop()]);
    },
  };
}
