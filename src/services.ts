// What the composition root builds and hands to commands and views. Grows with each feature.
import type * as vscode from 'vscode';

export interface Services {
  readonly context: vscode.ExtensionContext;
  readonly log: vscode.LogOutputChannel;
}
