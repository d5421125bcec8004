import * as assert from 'node:assert/strict';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = join(__dirname, '../../..');
type Check = (root: string) => string[];
const load = async (): Promise<Check> => (await import(join(root, 'scripts/check-commands.mjs'))).checkCommands;

/** A copy of the manifest and src/commands in a scratch folder, to break on purpose. */
function scratchCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), 'check-commands-'));
  cpSync(join(root, 'package.json'), join(dir, 'package.json'));
  cpSync(join(root, 'src/commands'), join(dir, 'src/commands'), { recursive: true });
  return dir;
}

describe('manifest and command registry agreement (scripts/check-commands.mjs)', () => {
  let dir: string;
  beforeEach(() => (dir = scratchCopy()));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('finds the real project in agreement', async () => {
    assert.deepEqual((await load())(root), []);
  });

  it('fails when package.json contributes a command no module registers', async () => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    pkg.contributes.commands.push({ command: 'sphereExplorer.ghost', title: 'Ghost', category: 'Azure Sphere' });
    writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
    assert.deepEqual((await load())(dir), ['package.json contributes sphereExplorer.ghost, which src/commands/ids.ts does not define']);
  });

  it('fails when a registered command is missing from package.json', async () => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    pkg.contributes.commands = pkg.contributes.commands.filter((c: { command: string }) => c.command !== 'sphereExplorer.showLog');
    writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
    const problems = (await load())(dir);
    assert.ok(problems.includes('src/commands/ids.ts defines sphereExplorer.showLog, which package.json does not contribute'), problems.join('\n'));
  });

  it('fails when a command module is not in the registered list', async () => {
    const index = join(dir, 'src/commands/index.ts');
    writeFileSync(index, readFileSync(index, 'utf8').replace("import { showLog } from './show-log';\n", ''));
    const problems = (await load())(dir);
    assert.ok(problems.some((p) => p.includes('show-log.ts (sphereExplorer.showLog) is not registered')), problems.join('\n'));
  });

  it('fails when a command id is spelled out outside src/commands/ids.ts, internal ones included', async () => {
    mkdirSync(join(dir, 'src/tree'), { recursive: true });
    writeFileSync(join(dir, 'src/tree/node.ts'), "const a = { command: 'sphereExplorer.signIn' };\nconst b = 'sphereExplorer.internal.retryTreeNode';\nconst view = 'sphereExplorer.devices';\n");
    assert.deepEqual((await load())(dir), [
      'src/tree/node.ts spells out the command id sphereExplorer.signIn; use CommandId from src/commands/ids.ts',
      'src/tree/node.ts spells out the command id sphereExplorer.internal.retryTreeNode; use CommandId from src/commands/ids.ts',
    ]);
  });

  it('fails when a menu names a command that is not contributed', async () => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    pkg.contributes.menus['view/title'].push({ command: 'sphereExplorer.nowhere', when: 'true' });
    writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
    assert.ok((await load())(dir).includes('a menu, welcome or walkthrough link names sphereExplorer.nowhere, which package.json does not contribute'));
  });

  it('fails when a walkthrough step links to or completes on a command that is not contributed', async () => {
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    pkg.contributes.walkthroughs = [{ id: 'w', title: 'W', description: '', steps: [
      { id: 's', title: 'S', description: '[Go](command:sphereExplorer.ghostLink)', completionEvents: ['onCommand:sphereExplorer.ghostEvent'] },
    ] }];
    writeFileSync(join(dir, 'package.json'), JSON.stringify(pkg));
    const problems = (await load())(dir);
    assert.ok(problems.includes('a menu, welcome or walkthrough link names sphereExplorer.ghostLink, which package.json does not contribute'), problems.join('\n'));
    assert.ok(problems.includes('a menu, welcome or walkthrough link names sphereExplorer.ghostEvent, which package.json does not contribute'), problems.join('\n'));
  });
});
