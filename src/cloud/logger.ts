// The logging seam of src/cloud: the editor layer passes its output channel in; nothing here writes to the console.
import { redactSecrets } from './redact';

export type CloudLogLevel = 'debug' | 'info' | 'warn' | 'error';

/** Where src/cloud writes diagnostics. Messages handed to it have already been scrubbed of secrets. */
export type CloudLogger = (level: CloudLogLevel, message: string) => void;

/** A logger that drops everything (the default when the caller passes none). */
export const silentLogger: CloudLogger = () => undefined;

/** Wraps `logger` so that every message is scrubbed of tokens first, whoever wrote it. */
export function safeLogger(logger: CloudLogger | undefined): CloudLogger {
  if (!logger) return silentLogger;
  return (level, message) => logger(level, redactSecrets(message));
}
