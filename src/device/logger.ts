// Logging is injected so the VS Code layer can route it to an output channel; the device code never prints.
// Callers must never pass secrets (PSKs, private keys, passwords) to a logger.

export interface Logger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

export const silentLogger: Logger = {
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};
