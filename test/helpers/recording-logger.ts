// The one recording logger of the tests: every line as "level: message", so a test can assert what was logged and
// that no secret ever reached a log line.
import type { Logger } from '../../src/common/logger';

export function recordingLogger(lines: string[]): Logger {
  const put = (level: string) => (message: string | Error) => void lines.push(`${level}: ${message instanceof Error ? message.message : message}`);
  return { trace: put('trace'), debug: put('debug'), info: put('info'), warn: put('warn'), error: put('error') };
}
