import * as vscode from 'vscode';
import type { ErrorPresenter } from '../common/error-boundary';
import { CommandId } from '../commands/ids';
import { troubleshootActionsFor } from '../doctor/connection-failure';

/** Shows the error boundary's message as a VS Code error notification whose "Show Log" opens our log. */
export function errorPresenter(log: vscode.LogOutputChannel): ErrorPresenter {
  return {
    showError: (message, ...actions) => vscode.window.showErrorMessage(message, ...actions),
    showLog: () => log.show(true),
    actionsFor: (err) => troubleshootActionsFor(err, (target) => void vscode.commands.executeCommand(CommandId.troubleshootConnection, target)),
  };
}
