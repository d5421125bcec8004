import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { activatedExtension, contributedCommands } from './support';

// Commands VS Code itself generates for every contributed view and container, and our internal ones (tree
// retry actions): not for the palette, so not contributed.
const GENERATED = /\.(focus|resetViewLocation|toggleVisibility|removeView|open)$|^sphereExplorer\.internal\./;

describe('Sphere Explorer in a real extension host', () => {
  it('activates', async () => {
    const ext = await activatedExtension();
    assert.equal(ext.isActive, true);
  });

  it('contributes the Azure Sphere container with its three views', async () => {
    const ext = await activatedExtension();
    const manifest = ext.packageJSON as { contributes: { views: Record<string, { id: string; name: string }[]> } };
    assert.deepEqual(
      manifest.contributes.views.sphereExplorer.map((v) => v.name),
      ['Accounts & Tenants', 'Devices', 'Wi-Fi Networks'],
    );
    const all = await vscode.commands.getCommands(false);
    for (const view of ['sphereExplorer.accounts', 'sphereExplorer.devices', 'sphereExplorer.wifi']) {
      assert.ok(all.includes(`${view}.focus`), `the workbench has no view ${view}`);
    }
    // Focusing a view opens the container: the views are real, not just manifest entries.
    await vscode.commands.executeCommand('sphereExplorer.devices.focus');
  });

  it('registers exactly the commands package.json contributes', async () => {
    const ext = await activatedExtension();
    const contributed = contributedCommands(ext).map((c) => c.command).sort();
    const registered = (await vscode.commands.getCommands(true))
      .filter((id) => id.startsWith('sphereExplorer.') && !GENERATED.test(id))
      .sort();
    assert.deepEqual(registered, contributed);
  });

  it('puts every contributed command in the "Azure Sphere" category', async () => {
    const ext = await activatedExtension();
    for (const c of contributedCommands(ext)) {
      assert.equal(c.category, 'Azure Sphere', `${c.command} has category ${c.category}`);
    }
  });

  it('runs a command through the error boundary', async () => {
    await activatedExtension();
    // showLog resolves (the boundary returns the command's result, or undefined after showing an error).
    await vscode.commands.executeCommand('sphereExplorer.showLog');
  });

  it("loads serialport's native binding in the extension host", async () => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { SerialPort } = require('serialport') as typeof import('serialport');
    assert.equal(typeof SerialPort.list, 'function');
    const ports = await SerialPort.list();
    assert.ok(Array.isArray(ports));
    assert.match(process.versions.modules, /^\d+$/);
  });
});

describe('the getting-started walkthrough', () => {
  it('follows the journey: sign in, tenant, board, claim, Wi-Fi, CA — each step completing on what the user achieved', async () => {
    const ext = await activatedExtension();
    const manifest = ext.packageJSON as {
      contributes: { walkthroughs: { id: string; steps: { id: string; completionEvents: string[]; media: { markdown: string } }[] }[] };
    };
    const [walkthrough] = manifest.contributes.walkthroughs;
    assert.deepEqual(walkthrough.steps.map((s) => s.id), ['signIn', 'tenant', 'board', 'claim', 'wifi', 'caCertificate']);
    // A state, never a command: onCommand would tick a step when its command merely ran, even if the user cancelled.
    // (The UI journey test watches these ticks happen in the workbench.)
    assert.deepEqual(walkthrough.steps.map((s) => s.completionEvents), [
      ['onContext:sphereExplorer.signedIn'],
      ['onContext:sphereExplorer.tenantSelected'],
      ['onContext:sphereExplorer.boardAttached'],
      ['onContext:sphereExplorer.boardClaimed'],
      ['onContext:sphereExplorer.wifiConnected'],
      ['onContext:sphereExplorer.caProven'],
    ]);
    for (const step of walkthrough.steps) {
      const media = vscode.Uri.joinPath(ext.extensionUri, step.media.markdown);
      assert.ok((await vscode.workspace.fs.readFile(media)).byteLength > 100, `${step.media.markdown} is missing or empty`);
    }
    // The workbench knows it: opening it does not fail.
    await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${ext.id}#${walkthrough.id}`, false);
  });
});
