import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { harness, openWorkbench, ROOT, runFromPalette, screenshot, screenshotIfFailed, waitForOutputLine, type Workbench } from './workbench';

const VSIX = join(ROOT, 'dist/sphere-explorer.vsix');

function vsixEntries(): string[] {
  // The .vsix is a zip; python3's zipfile lists it (python3 is on every machine that builds native addons).
  return execFileSync('python3', ['-c', 'import sys,zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', VSIX], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  }).split('\n');
}

describe('the packaged .vsix', () => {
  before(function () {
    if (!existsSync(VSIX)) {
      throw new Error(`${VSIX} is missing: npm test builds it with npm run package before the UI tests`);
    }
  });

  it("carries serialport's N-API prebuilds for every platform", () => {
    const entries = vsixEntries();
    const prebuilds = entries.filter((e) => e.includes('@serialport/bindings-cpp/prebuilds/') && e.endsWith('.node'));
    const platforms = new Set(prebuilds.map((e) => e.split('/prebuilds/')[1].split('/')[0]));
    for (const p of ['linux-x64', 'linux-arm64', 'darwin-x64+arm64', 'win32-x64']) {
      assert.ok(platforms.has(p), `no prebuild for ${p}; found ${[...platforms].join(', ')}`);
    }
    assert.ok(entries.includes('extension/dist/extension.js'));
    assert.ok(!entries.some((e) => e.startsWith('extension/src/') || e.startsWith('extension/test/')), 'sources leaked into the .vsix');
  });

  describe('installed into code-server', () => {
    let wb: Workbench;
    let extensionsDir: string;
    before(async () => {
      extensionsDir = mkdtempSync(join(tmpdir(), 'sphere-vsix-'));
      await (await harness()).installVsix(VSIX, extensionsDir);
      wb = await openWorkbench({ extensionsDir, installed: true });
    });
    afterEach(function () {
      return screenshotIfFailed(this.currentTest, wb?.page);
    });
    after(async () => {
      await wb?.close();
      rmSync(extensionsDir, { recursive: true, force: true });
    });

    it('activates and runs its commands', async () => {
      const { page } = wb;
      await runFromPalette(page, 'Azure Sphere: Show Log');
      await waitForOutputLine(page, /\[info\] Sphere Explorer \d+\.\d+\.\d+ activated/, 60_000);
      await screenshot(page, '03-installed-vsix-activated');
    });
  });
});
