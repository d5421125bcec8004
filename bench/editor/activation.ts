// Runs inside the extension host (as an extensionTestsPath): measures loading and activating Sphere Explorer,
// and writes the figures to the file named by SPHERE_BENCH_OUT.
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';

export async function run(): Promise<void> {
  const ext = vscode.extensions.getExtension<{ activationMs: number }>('sphere-explorer.sphere-explorer');
  if (!ext) throw new Error('Sphere Explorer is not loaded');
  if (ext.isActive) throw new Error('Sphere Explorer was already active: the activation time cannot be measured');
  const before = new Set(Object.keys(require.cache));
  const started = performance.now();
  const api = await ext.activate();
  const endToEndMs = performance.now() - started;
  const loaded = Object.keys(require.cache).filter((m) => !before.has(m));
  const heavy = loaded.filter((m) => /node_modules[\\/](serialport|@serialport|@azure[\\/]msal-node|node-forge)[\\/]/.test(m));
  const out = process.env.SPHERE_BENCH_OUT;
  if (!out) throw new Error('SPHERE_BENCH_OUT is not set');
  writeFileSync(out, JSON.stringify({ activationMs: api.activationMs, endToEndMs, modulesLoaded: loaded.length, heavyModulesLoaded: heavy }));
}
