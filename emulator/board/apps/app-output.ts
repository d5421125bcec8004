// What the board's apps write to their output (Log_Debug on a real board), kept per component for this boot. A real
// board streams a debugged app's output on the output port (TCP 2342) to the tools; the simulator's apps run no code
// of their own, so the lines come from what the simulator does for them (their IoT Hub connection, iot/) and are
// kept here for tests and tools to read (`SimulatedBoard.appOutput`) and for the output port to send.
import { EventEmitter } from 'node:events';

/** Lines kept per app; older ones are dropped (only the recent past is read). */
export const MAX_OUTPUT_LINES = 1000;

/** Emits 'line' (componentId, line) for every line written. */
export class AppOutput extends EventEmitter {
  private readonly lines = new Map<string, string[]>();

  write(componentId: string, line: string): void {
    const lines = this.lines.get(componentId) ?? [];
    lines.push(line);
    if (lines.length > MAX_OUTPUT_LINES) lines.splice(0, lines.length - MAX_OUTPUT_LINES);
    this.lines.set(componentId, lines);
    this.emit('line', componentId, line);
  }

  /** The lines `componentId` wrote in this boot, oldest first. */
  linesOf(componentId: string): string[] {
    return [...(this.lines.get(componentId.toLowerCase()) ?? [])];
  }

  /** Power-off: output is not kept across boots. */
  clear(): void {
    this.lines.clear();
  }
}
