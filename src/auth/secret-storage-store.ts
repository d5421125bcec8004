import type * as vscode from 'vscode';
import type { SecretStore } from '../cloud/secret-store';

/** The token cache's home in the editor: VS Code's SecretStorage (the OS keychain), never settings or globalState. */
export function secretStorageStore(secrets: vscode.SecretStorage): SecretStore {
  return {
    get: async (key) => secrets.get(key),
    store: async (key, value) => secrets.store(key, value),
    delete: async (key) => secrets.delete(key),
  };
}
