#!/usr/bin/env node
// `npm start` after setup and build: starts the local cloud emulator (seeded users, tenants and hubs), a simulated
// board on a pseudo-terminal, and a real VS Code (code-server on 127.0.0.1) with Sphere Explorer loaded from this
// folder and its settings pointing at them; prints the URL to open and runs until Ctrl-C. State lives in .state/
// (git-ignored), so tenants, claims, the board's Wi-Fi and sign-ins survive a restart. PORT=NNNN picks the port;
// SPHERE_STATE_DIR another state folder.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startCodeServer, workbenchUrl } from '../test/harness/code-server.mjs';
import { startLocalServices } from '../test/harness/local-services.mjs';
import { toolPaths } from './tools.mjs';

const state = process.env.SPHERE_STATE_DIR ?? join(toolPaths.root, '.state');
const folder = join(state, 'workspace');
mkdirSync(folder, { recursive: true });

const services = await startLocalServices({ stateDir: join(state, 'services'), emulatorPort: Number(process.env.EMULATOR_PORT ?? 48443) });
const server = await startCodeServer({
  settings: { ...services.settings, 'workbench.startupEditor': 'none' },
  port: Number(process.env.PORT ?? 8080),
  folder,
  userDataDir: join(state, 'editor/user'),
  extensionsDir: join(state, 'editor/extensions'),
  keep: true,
});
const url = workbenchUrl(server, { folder, extensionDevelopmentPath: toolPaths.root });
console.log(`
Sphere Explorer is running in a real VS Code (code-server ${server.url}), against
  the local cloud emulator  ${services.emulator.url}  (sign in as avery@contoso.com, an Administrator; see emulator/cloud/README.md)
  a simulated board         ${services.board.linkPath}  (device ${services.board.deviceId?.slice(0, 16)}…)
Open:

  ${url}

Then click the Azure Sphere icon in the activity bar. Ctrl-C stops everything.
`);

const stop = async () => {
  await Promise.all([server.stop(), services.stop()]);
  process.exit(0);
};
process.removeAllListeners('SIGINT');
process.removeAllListeners('SIGTERM');
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
setInterval(() => undefined, 1 << 30);
