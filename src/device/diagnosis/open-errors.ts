// Why a serial port that exists could not be opened, in the user's terms: permissions (on Linux, membership of the
// group owning the device node, usually dialout), another program holding it, or the device vanishing meanwhile.

export type OpenFailure = 'permission' | 'busy' | 'missing' | 'other';

export function classifyOpenError(err: unknown): OpenFailure {
  const message = err instanceof Error ? `${err.message} ${(err as NodeJS.ErrnoException).code ?? ''}` : String(err);
  if (/EACCES|EPERM|Permission denied|Access is denied|Operation not permitted/i.test(message)) return 'permission';
  // serialport locks ports (flock); a held lock says "Cannot lock port"; Windows says "Access denied" only for
  // permissions and "File not found" for missing ports.
  if (/EBUSY|Cannot lock port|Resource temporarily unavailable|Device or resource busy|in use/i.test(message)) return 'busy';
  if (/ENOENT|No such file|cannot find the file|File not found/i.test(message)) return 'missing';
  return 'other';
}

export interface OpenAdvice {
  summary: string;
  nextAction: string;
  details: string[];
}

export function openErrorAdvice(
  err: unknown,
  portPath: string,
  platform: NodeJS.Platform,
  groups?: { userGroups: string[]; deviceGroup: string | undefined },
): OpenAdvice {
  const message = err instanceof Error ? err.message : String(err);
  const details = [`Error: ${message}`];
  switch (classifyOpenError(err)) {
    case 'permission': {
      if (platform === 'linux') {
        const group = groups?.deviceGroup ?? 'dialout';
        if (groups) details.push(`${portPath} belongs to group "${group}"; your groups: ${groups.userGroups.join(', ') || 'none'}.`);
        return {
          summary: `${portPath} exists but you may not open it (permission denied).`,
          nextAction: `Add yourself to the "${group}" group: run \`sudo usermod -aG ${group} $USER\`, then log out and back in.`,
          details,
        };
      }
      return {
        summary: `${portPath} exists but may not be opened (access denied).`,
        nextAction: `Close any other program using ${portPath} (a terminal, Azure Sphere tools), then run this again.`,
        details,
      };
    }
    case 'busy':
      return {
        summary: `${portPath} is in use by another program.`,
        nextAction: `Close the program holding ${portPath} (a serial terminal, another editor window, azsphere or slattach), then run this again.`,
        details,
      };
    case 'missing':
      return {
        summary: `${portPath} disappeared while opening it.`,
        nextAction: 'Reconnect the board\'s USB cable, wait a few seconds, then run this again.',
        details,
      };
    default:
      return {
        summary: `${portPath} could not be opened.`,
        nextAction: 'Unplug the board\'s USB cable, plug it in again, then run this again.',
        details,
      };
  }
}
