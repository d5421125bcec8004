import * as vscode from 'vscode';
import type { ErrorPresenter } from '../common/error-boundary';
import { CommandId } from '../commands/ids';
import { developmentActionsFor } from '../boards/development-mode-failure';
import { troubleshootActionsFor } from '../doctor/connection-failure';
import { iotActionsFor } from '../iot/iot-failure-actions';

/**
 * Shows the error boundary's message as a VS Code error notification whose "Show Log" opens our log, with the next
 * step where there is one: Troubleshoot Connection for a board out of reach, Enable Development for a board that
 * refuses to run apps, Validate CA Certificate for a hub that does not trust the tenant's CA yet.
 */
export function errorPresenter(log: vscode.LogOutputChannel): ErrorPresenter {
  return {
    showError: (message, ...actions) => vscode.window.showErrorMessage(message, ...actions),
    showLog: () => log.show(true),
    actionsFor: (err) => [
      ...troubleshootActionsFor(err, (target) => void vscode.commands.executeCommand(CommandId.troubleshootConnection, target)),
      ...developmentActionsFor(err, (target) => void vscode.commands.executeCommand(CommandId.enableDevelopment, target)),
      ...iotActionsFor(err, (scopeId) => void vscode.commands.executeCommand(CommandId.validateCaCertificate, { tenantId: scopeId })),
    ],
  };
}
