// The logging seam of src/cloud: the editor layer passes its output channel in (it satisfies the shared Logger);
// nothing here writes to the console. Every message is scrubbed of secrets on its way out, whoever wrote it.
import { nullLogger, type Logger } from '../common/logger';
import { redactSecrets } from './redact';

/** Wraps `logger` so that every message is scrubbed of tokens first. */
export function safeLogger(logger: Logger | undefined): Logger {
  if (!logger) return nullLogger;
  const scrub = (message: string | Error): string => redactSecrets(message instanceof Error ? message.message : message);
  return {
    trace: (message) => logger.trace(scrub(message)),
    debug: (message) => logger.debug(scrub(message)),
    info: (message) => logger.info(scrub(message)),
    warn: (message) => logger.warn(scrub(message)),
    error: (message) => logger.error(scrub(message)),
  };
}
