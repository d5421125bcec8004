// Where the token cache lives. The VS Code layer backs this with SecretStorage (OS keychain); tests and the CLI
// can use the in-memory store below. Values are opaque strings that contain refresh tokens: never log them.

export interface SecretStore {
  get(key: string): Promise<string | undefined>;
  store(key: string, value: string): Promise<void>;
  delete(key: string): Promise<void>;
}

/** A SecretStore held in process memory (lost on exit): for tests and for a session that must not persist. */
export class InMemorySecretStore implements SecretStore {
  private readonly values = new Map<string, string>();

  async get(key: string): Promise<string | undefined> {
    return this.values.get(key);
  }

  async store(key: string, value: string): Promise<void> {
    this.values.set(key, value);
  }

  async delete(key: string): Promise<void> {
    this.values.delete(key);
  }

  /** Keys currently held (for tests that check what sign-out leaves behind). */
  keys(): string[] {
    return [...this.values.keys()];
  }
}
