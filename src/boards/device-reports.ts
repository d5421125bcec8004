// Where "show" commands print: one output channel, "Azure Sphere Devices", with a header per report, created on
// first use (activation stays light). The text comes from cli-text.ts and holds no secrets.
import * as vscode from 'vscode';
import { Disposable } from '../common/lifecycle';

export class DeviceReports extends Disposable {
  private channel: vscode.OutputChannel | undefined;

  show(title: string, lines: string[]): void {
    if (!this.channel) this.channel = this._register(vscode.window.createOutputChannel('Azure Sphere Devices'));
    this.channel.appendLine(`── ${title} · ${new Date().toLocaleTimeString()}`);
    for (const line of lines) this.channel.appendLine(line);
    this.channel.appendLine('');
    this.channel.show(true);
  }
}
