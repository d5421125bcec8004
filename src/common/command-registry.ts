// Registers command modules behind the error boundary. Plain TypeScript: the VS Code layer passes
// vscode.commands.registerCommand as `register`, tests pass a recorder.
import { runWithErrorBoundary, type ErrorPresenter } from './error-boundary';
import type { IDisposable } from './lifecycle';
import type { Logger } from './logger';

/** One command: its id and what it does with the services the composition root built. */
export interface CommandModule<Services> {
  readonly id: string;
  run(services: Services, ...args: unknown[]): unknown;
}

export interface CommandRegistryDeps {
  register(id: string, handler: (...args: unknown[]) => unknown): IDisposable;
  /** The user-facing title of a command (from the manifest), used in error messages. */
  titleOf(id: string): string;
  log: Logger;
  presenter: ErrorPresenter;
}

export function registerCommands<Services>(
  commands: readonly CommandModule<Services>[],
  services: Services,
  deps: CommandRegistryDeps,
): IDisposable[] {
  const seen = new Set<string>();
  for (const { id } of commands) {
    if (seen.has(id)) {
      throw new Error(`Command ${id} is registered twice`);
    }
    seen.add(id);
  }
  return commands.map((command) =>
    deps.register(command.id, (...args: unknown[]) =>
      runWithErrorBoundary(deps.titleOf(command.id), () => command.run(services, ...args), deps.log, deps.presenter),
    ),
  );
}
