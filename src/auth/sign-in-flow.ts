import * as vscode from 'vscode';
import type { SignInMethod, SphereAuthenticationProvider } from './sphere-authentication-provider';

/**
 * Signs in through our own provider directly (asking vscode.authentication.getSession here would show VS Code's
 * "Sphere Explorer wants to sign in using Azure Sphere" consent for our own provider), then says who is signed in.
 * The provider's onDidChangeSessions tells the Accounts menu and every other caller.
 */
export async function signInWith(
  provider: SphereAuthenticationProvider,
  method: SignInMethod,
  log: vscode.LogOutputChannel,
): Promise<vscode.AuthenticationSession> {
  provider.nextMethod = method;
  try {
    const session = await provider.createSession([]);
    log.info(`Signed in as ${session.account.label}`);
    void vscode.window.showInformationMessage(`Signed in to Azure Sphere as ${session.account.label}.`);
    return session;
  } finally {
    provider.nextMethod = undefined;
  }
}
