// Runs a call that waits for the service — a security service Operation, an ARM long-running operation, a throttled
// request — under a progress notification that says where it is: sent, in progress on the service (with its
// percentage when it gives one), waiting out a 429 for the time the service asked, done. A failure's reason (the
// service's own words) comes up as the error.
import * as vscode from 'vscode';
import type { FleetProgress } from '../cloud/backend/fleet-backend';

export type OperationProgress = (progress: FleetProgress) => void;

/** The words for one progress report. */
export function progressMessage(p: FleetProgress): string {
  if (p.kind === 'throttled') return `the service is busy (429): trying again in ${Math.max(1, Math.ceil(p.waitMs / 1000))} s (attempt ${p.attempt})…`;
  switch (p.status) {
    case 'running':
      return p.percentComplete !== undefined ? `in progress on the service: ${Math.round(p.percentComplete)} %…` : 'in progress on the service…';
    case 'succeeded':
      return 'done';
    case 'failed':
      return 'the service says it failed';
    case 'canceled':
      return 'canceled by the service';
  }
}

export async function withOperationProgress<T>(title: string, run: (onProgress: OperationProgress) => Promise<T>): Promise<T> {
  return await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title }, (progress) => {
    progress.report({ message: 'sent to the service…' });
    return run((p) => progress.report({ message: progressMessage(p) }));
  });
}
