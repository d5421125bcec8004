// Logging is injected so the VS Code layer can route it to an output channel; the device code never prints.
// Callers must never pass secrets (PSKs, private keys, passwords) to a logger.
import { nullLogger, type Logger as CommonLogger } from '../common/logger';

/** The levels the device layer writes (the shared logger's, without trace). */
export type Logger = Pick<CommonLogger, 'debug' | 'info' | 'warn' | 'error'>;

export const silentLogger: Logger = nullLogger;
