import * as assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { get } from 'node:https';
import { createServer } from 'node:net';
import * as vscode from 'vscode';
import { listAnnouncements } from '../../emulator/board/registry';
import { activatedExtension } from './support';

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** GET over HTTPS trusting only the given CA (as the extension does); resolves the status code or rejects. */
function httpsStatus(url: string, ca: string): Promise<number> {
  return new Promise((resolve, reject) => {
    get(url, { ca }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    }).on('error', reject);
  });
}

describe('"Start Local Cloud Emulator and Simulated Board" from inside the editor', () => {
  const cloud = () => vscode.workspace.getConfiguration('sphereExplorer.cloud');

  before(async () => {
    await activatedExtension();
    await vscode.workspace.getConfiguration('sphereExplorer.local').update('emulatorPort', await freePort(), vscode.ConfigurationTarget.Global);
  });
  after(async () => {
    await vscode.commands.executeCommand('sphereExplorer.stopLocalServices');
    await vscode.workspace.getConfiguration('sphereExplorer.local').update('emulatorPort', undefined, vscode.ConfigurationTarget.Global);
  });

  it('starts both, points the cloud settings at the emulator, and the board announces itself', async () => {
    await vscode.commands.executeCommand('sphereExplorer.startLocalServices');
    const url = cloud().get<string>('authorityHost')!;
    const port = vscode.workspace.getConfiguration('sphereExplorer.local').get<number>('emulatorPort');
    assert.equal(url, `https://127.0.0.1:${port}`);
    assert.equal(cloud().get('apiEndpoint'), `${url}/v2/`);
    const caFile = cloud().get<string>('caFile')!;
    // The emulator answers over TLS verified against its own CA: nothing was turned off.
    assert.equal(await httpsStatus(`${url}/organizations/v2.0/.well-known/openid-configuration`, readFileSync(caFile, 'utf8')), 200);

    const boards = await listAnnouncements();
    const ours = boards.find((b) => b.name === 'Simulated MT3620' && b.linkPath.includes('local-services'));
    assert.ok(ours, `no simulated board announced: ${JSON.stringify(boards)}`);
    assert.match(ours.deviceId, /^[0-9a-f]{128}$/i);
    assert.ok(existsSync(ours.linkPath), 'the board has no serial link to open');
  });

  it('stops both and points the cloud settings back at Azure', async () => {
    const url = cloud().get<string>('authorityHost')!;
    const caFile = cloud().get<string>('caFile')!;
    const ca = readFileSync(caFile, 'utf8');
    await vscode.commands.executeCommand('sphereExplorer.stopLocalServices');
    assert.equal(cloud().get('authorityHost'), 'https://login.microsoftonline.com');
    assert.equal(cloud().get('caFile'), '');
    await new Promise((r) => setTimeout(r, 500));
    await assert.rejects(httpsStatus(`${url}/organizations/v2.0/.well-known/openid-configuration`, ca), /ECONNREFUSED/);
  });
});
