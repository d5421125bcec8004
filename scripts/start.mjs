#!/usr/bin/env node
// `npm start` after setup and build: starts a real VS Code (code-server on 127.0.0.1) with Sphere Explorer loaded
// from this folder, prints the URL to open, and runs until Ctrl-C. Editor state lives in .state/ (git-ignored),
// so settings and sign-ins survive a restart. PORT=NNNN picks the port (default 8080).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { startCodeServer, workbenchUrl } from '../test/harness/code-server.mjs';
import { toolPaths } from './tools.mjs';

const state = join(toolPaths.root, '.state');
const folder = join(state, 'workspace');
mkdirSync(folder, { recursive: true });

const server = await startCodeServer({
  port: Number(process.env.PORT ?? 8080),
  folder,
  userDataDir: join(state, 'editor/user'),
  extensionsDir: join(state, 'editor/extensions'),
  keep: true,
});
const url = workbenchUrl(server, { folder, extensionDevelopmentPath: toolPaths.root });
console.log(`\nSphere Explorer is running in a real VS Code (code-server ${server.url}).\nOpen:\n\n  ${url}\n\nThen click the Azure Sphere icon in the activity bar. Ctrl-C stops everything.\n`);

const stop = async () => {
  await server.stop();
  process.exit(0);
};
process.removeAllListeners('SIGINT');
process.removeAllListeners('SIGTERM');
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
setInterval(() => undefined, 1 << 30);
