// What a running app uses, as numbers that follow from the app and how long it has run — no randomness, so a test or
// a demo sees the same figures for the same history. Real boards measure these; the simulator runs nothing, so it
// derives them: mutable storage fills slowly while the app runs, the heap grows a little and then levels off.

/** Seconds of running per KiB of mutable storage written: slow, like an app appending to a log. */
export const STORAGE_SECONDS_PER_KB = 30;

/** Mutable storage in use (KiB): what earlier runs left plus this run's growth, never above the manifest's limit. */
export function storageUsageKB(limitKB: number, usedBeforeKB: number, runSeconds: number): number {
  return Math.min(limitKB, usedBeforeKB + Math.floor(Math.max(0, runSeconds) / STORAGE_SECONDS_PER_KB));
}

const PAGE = 4096;
/** Kernel memory charged to each app process (page tables, task structures). */
const KERNEL_BYTES_PER_PROCESS = 12 * PAGE;
/** The heap a freshly started app holds, and how far it grows: 256 bytes a second for the first four minutes. */
const BASE_HEAP_BYTES = 16 * 1024;
const HEAP_GROWTH_BYTES_PER_SECOND = 256;
const HEAP_GROWTH_SECONDS = 240;
/** The application libraries' own allocations, the same for every app. */
const APPLIBS_HEAP_BYTES = 8 * 1024;

export interface AppProcessMemory {
  /** User-mode bytes: the mapped image (whole pages), stack and heap. */
  userModeBytes: number;
  /** User-mode plus kernel bytes charged to the process. */
  totalBytes: number;
  heapUsageByCaller: { name: string; usageInBytes: number }[];
}

export function appProcessMemory(imageBytes: number, runSeconds: number): AppProcessMemory {
  const grownSeconds = Math.min(HEAP_GROWTH_SECONDS, Math.max(0, Math.floor(runSeconds)));
  const mainHeap = BASE_HEAP_BYTES + grownSeconds * HEAP_GROWTH_BYTES_PER_SECOND;
  const heapUsageByCaller = [
    { name: 'main', usageInBytes: mainHeap },
    { name: 'applibs', usageInBytes: APPLIBS_HEAP_BYTES },
  ];
  const stackBytes = 16 * PAGE;
  const userModeBytes = Math.ceil(imageBytes / PAGE) * PAGE + stackBytes + mainHeap + APPLIBS_HEAP_BYTES;
  return { userModeBytes, totalBytes: userModeBytes + KERNEL_BYTES_PER_PROCESS, heapUsageByCaller };
}
