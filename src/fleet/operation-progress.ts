// Runs a service call that returns an Operation under a progress notification that says where it is: sent, in
// progress on the service, done — the service's reason when it fails comes up as the error.
import * as vscode from 'vscode';
import { OperationState, type Operation } from '../cloud/sphere-api-types';

export type OperationProgress = (state: number, operation: Operation) => void;

export async function withOperationProgress<T>(title: string, run: (onProgress: OperationProgress) => Promise<T>): Promise<T> {
  return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, (progress) => {
    progress.report({ message: 'sent to the service…' });
    return run((state) => {
      if (state === OperationState.NotStarted) progress.report({ message: 'queued by the service…' });
      else if (state === OperationState.InProgress) progress.report({ message: 'in progress on the service…' });
      else if (state === OperationState.Complete) progress.report({ message: 'done' });
    });
  });
}
