import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../../..');

describe('package.json scripts', () => {
  it('name only files that exist (a script pointing at a missing runner fails only when someone runs it)', () => {
    const scripts = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')).scripts as Record<string, string>;
    const missing = Object.entries(scripts).flatMap(([name, command]) =>
      [...command.matchAll(/(?:^|\s)((?:scripts|test|emulator|bench)\/[\w./-]+\.(?:mjs|ts|js))/g)]
        .map((m) => m[1])
        .filter((file) => !existsSync(join(root, file)))
        .map((file) => `${name}: ${file}`),
    );
    assert.deepEqual(missing, []);
  });
});
