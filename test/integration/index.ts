// The extension-tests entry point VS Code calls inside the extension host (`extensionTestsPath`).
import Mocha from 'mocha';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import { seedHooks } from '../helpers/test-seed';

/** Lines the harness prints from the workbench console; everything else there is the workbench's own chatter. */
export const TEST_OUTPUT_TAG = '[ext-test] ';

export async function run(): Promise<void> {
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => {
    for (const line of format(...args).split('\n')) console.log(TEST_OUTPUT_TAG + line);
  };
  const mocha = new Mocha({ ui: 'bdd', timeout: 60_000, color: false, reporter: 'spec' });
  // Each test's seed for what it injects at random (SPHERE_TEST_SEED or fixed by its title), printed when it fails.
  mocha.rootHooks(seedHooks((line) => Mocha.reporters.Base.consoleLog(line)));
  const only = process.env.SPHERE_TEST_GREP;
  if (only) mocha.grep(only);
  for (const file of readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(join(__dirname, file));
  }
  const failures = await new Promise<number>((resolve) => mocha.run(resolve));
  if (failures > 0) {
    throw new Error(`${failures} integration test(s) failed`);
  }
}
