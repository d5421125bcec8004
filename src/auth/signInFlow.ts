import type * as vscode from 'vscode';
import type { SignInMethod, SphereAuthenticationProvider } from './sphereAuthenticationProvider';

/**
 * Signs in through our own provider directly: asking vscode.authentication.getSession here would show VS Code's
 * "Sphere Explorer wants to sign in using Azure Sphere" consent for our own provider. The provider's
 * onDidChangeSessions then tells the Accounts menu and every other caller.
 */
export async function signInWith(provider: SphereAuthenticationProvider, method: SignInMethod): Promise<vscode.AuthenticationSession> {
  provider.nextMethod = method;
  try {
    return await provider.createSession([]);
  } finally {
    provider.nextMethod = undefined;
  }
}
