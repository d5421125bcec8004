#!/usr/bin/env node
// Fails when package.json's contributed commands and the commands the code registers disagree:
// every contributed command has an id in src/commands/ids.ts and a module registered in src/commands/index.ts,
// and every such module is contributed. Menus and welcome links may only name contributed commands, and no file in
// src/ but ids.ts spells out a command id.
// (After vscode-pull-request-github's scripts/check-commands.js; the integration tests check the same at run time.)
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { join, basename, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export function checkCommands(root) {
  const problems = [];
  const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const contributes = manifest.contributes ?? {};
  const contributed = new Set((contributes.commands ?? []).map((c) => c.command));

  const commandsDir = join(root, 'src/commands');
  const idsSource = readFileSync(join(commandsDir, 'ids.ts'), 'utf8');
  const block = (name) => idsSource.match(new RegExp(`export const ${name} = \\{([^}]*)\\}`))?.[1] ?? '';
  const idByName = new Map([...block('CommandId').matchAll(/(\w+):\s*'([\w.-]+)'/g)].map((m) => [m[1], m[2]]));
  const internalIds = [...block('InternalCommandId').matchAll(/(\w+):\s*'([\w.-]+)'/g)].map((m) => m[2]);
  const indexSource = readFileSync(join(commandsDir, 'index.ts'), 'utf8');
  const listed = new Set([...indexSource.matchAll(/from '\.\/([\w-]+)'/g)].map((m) => m[1]));

  const registered = new Map();
  for (const file of readdirSync(commandsDir).filter((f) => f.endsWith('.ts') && !['ids.ts', 'index.ts'].includes(f))) {
    const module = basename(file, '.ts');
    const refs = [...readFileSync(join(commandsDir, file), 'utf8').matchAll(/\bid:\s*CommandId\.(\w+)/g)].map((m) => m[1]);
    if (refs.length !== 1) {
      problems.push(`src/commands/${file} should define exactly one command (found ${refs.length})`);
      continue;
    }
    const id = idByName.get(refs[0]);
    if (!id) {
      problems.push(`src/commands/${file} uses CommandId.${refs[0]}, which ids.ts does not define`);
      continue;
    }
    if (!listed.has(module)) {
      problems.push(`src/commands/${file} (${id}) is not registered in src/commands/index.ts`);
    }
    if (registered.has(id)) {
      problems.push(`${id} is defined by both ${registered.get(id)} and ${file}`);
    }
    registered.set(id, file);
  }

  for (const id of contributed) {
    if (![...idByName.values()].includes(id)) problems.push(`package.json contributes ${id}, which src/commands/ids.ts does not define`);
    else if (!registered.has(id)) problems.push(`package.json contributes ${id}, but no command module registers it`);
  }
  for (const id of idByName.values()) {
    if (!contributed.has(id)) problems.push(`src/commands/ids.ts defines ${id}, which package.json does not contribute`);
  }

  const menuRefs = Object.values(contributes.menus ?? {}).flat().map((m) => m.command).filter(Boolean);
  const linksIn = (text) => [...(text ?? '').matchAll(/\(command:([\w.-]+)/g)].map((m) => m[1]);
  const welcomeRefs = (contributes.viewsWelcome ?? []).flatMap((w) => linksIn(w.contents));
  const walkthroughRefs = (contributes.walkthroughs ?? []).flatMap((w) =>
    w.steps.flatMap((step) => [
      ...linksIn(step.description),
      ...(step.completionEvents ?? []).filter((e) => e.startsWith('onCommand:')).map((e) => e.slice('onCommand:'.length)),
    ]),
  );
  for (const id of [...menuRefs, ...welcomeRefs, ...walkthroughRefs]) {
    // View focus commands (sphereExplorer.<view>.focus) are VS Code's own.
    if (id.startsWith('sphereExplorer.') && !id.endsWith('.focus') && !contributed.has(id)) {
      problems.push(`a menu, welcome or walkthrough link names ${id}, which package.json does not contribute`);
    }
  }
  // Ids live in ids.ts only: a command id spelled out anywhere else in src/ is one rename away from a dead link.
  const allIds = new Set([...idByName.values(), ...internalIds]);
  for (const file of sourceFiles(join(root, 'src'))) {
    if (file === join(commandsDir, 'ids.ts')) continue;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(/['"`](sphereExplorer\.[\w.]+)['"`]/g)) {
      if (allIds.has(m[1])) problems.push(`${relative(root, file)} spells out the command id ${m[1]}; use CommandId from src/commands/ids.ts`);
    }
  }
  return problems;
}

function sourceFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sourceFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : [],
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const root = join(fileURLToPath(import.meta.url), '../..');
  const problems = checkCommands(root);
  if (problems.length > 0) {
    console.error(`[check-commands] ${problems.length} problem(s):\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log('[check-commands] package.json and src/commands agree');
}
