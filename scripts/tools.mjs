// Where the project's local tools live, shared by setup, start, test and bench scripts.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const NODE_MAJOR = 24;
export const CODE_SERVER_VERSION = '4.139.1';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const tools = join(root, '.tools');

export const toolPaths = {
  root,
  tools,
  nodeDir: join(tools, 'node24'),
  nodeBin: join(tools, 'node24/node_modules/node/bin'),
  node: join(tools, 'node24/node_modules/node/bin/node'),
  codeServerDir: join(tools, 'code-server'),
  codeServer: join(tools, 'code-server/node_modules/code-server/out/node/entry.js'),
  codeServerReadyMarker: join(tools, 'code-server/.ready'),
  chromium: '/usr/bin/chromium',
};
