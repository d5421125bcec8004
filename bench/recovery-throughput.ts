/**
 * Recovery throughput against the recovery UART's line rate, measured in this run (`npx tsx bench/recovery-throughput.ts`;
 * about 20 s): the cloud emulator's image set (~175 KB) sent by our XMODEM-1K sender through serialport and a real pty
 * to the board simulator's receiver, the line paced at 115200 baud (the real rate) and at 921600 baud.
 *  - image phase: image bytes / (time from "Sending N images" to "Finished writing images") / line rate;
 *  - whole recovery: bootloader + image bytes / (time from the reset gesture to "Finished writing images") / line rate;
 *  - both against the XMODEM-1K ceiling 1024/1029 (5 bytes of framing per block), so the rest is turnaround (ACK
 *    waits, console lines, the manifest) and pacing. The board's simulated erase and flash-write times are set to 0
 *    here so that only the link is measured. XMODEM waits for each block's ACK, so the few milliseconds of turnaround
 *    per block (timers, pty) weigh 8× more at 921600 baud; the recovery UART runs at 115200, where the target holds.
 * Line rate = baud / 10 bytes per second (8N1).
 */
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { startSimulatedBoard } from '../emulator/board/simulated-board';
import { buildRecoveryImageSet } from '../emulator/cloud/recovery-images';
import { loadRecoveryImagesFromFolder, openRecoveryPort, recoverBoard, TRANSCRIPT } from '../src/device/recovery';

const CEILING = 1024 / 1029;

interface Figures {
  baud: number;
  totalBytes: number;
  imageBytes: number;
  wholeSeconds: number;
  imageSeconds: number;
  resent: number;
}

async function measure(baud: number, imagesDir: string): Promise<Figures> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-recovery-'));
  const board = await startSimulatedBoard({
    linkPath: path.join(dir, 'tty'),
    stateDir: path.join(dir, 'state'),
    registryDir: path.join(dir, 'registry'),
    recoveryBaud: baud,
    recoveryTiming: { eraseMs: 0, writeMsPerKiB: 0 },
  });
  const port = await openRecoveryPort(board.recoveryLinkPath, baud);
  try {
    const images = await loadRecoveryImagesFromFolder(imagesDir);
    const marks = new Map<string, number>();
    const started = performance.now();
    const result = await recoverBoard({
      port: port.stream,
      baudRate: baud,
      images,
      onTranscript: (line) => {
        if (line.startsWith('Sending ')) marks.set('images', performance.now());
        if (line === TRANSCRIPT.finished) marks.set('done', performance.now());
      },
    });
    if (board.recoveries !== 1 || result.osVersion !== images.manifest.osVersion) throw new Error('the board did not complete the recovery');
    return {
      baud,
      totalBytes: images.bootloader.length + images.imageBytes,
      imageBytes: images.imageBytes,
      wholeSeconds: (marks.get('done')! - started) / 1000,
      imageSeconds: (marks.get('done')! - marks.get('images')!) / 1000,
      resent: result.resentBlocks,
    };
  } finally {
    await port.close();
    await board.stop();
    await fs.rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const imagesDir = await fs.mkdtemp(path.join(os.tmpdir(), 'bench-recovery-images-'));
  try {
    for (const [name, bytes] of buildRecoveryImageSet().files) await fs.writeFile(path.join(imagesDir, name), bytes);
    const runs = [await measure(115200, imagesDir), await measure(921600, imagesDir)];
    const share = (bytes: number, seconds: number, baud: number): number => bytes / (seconds * (baud / 10));
    const pct = (x: number): string => `${(x * 100).toFixed(1)} %`;
    const rows: [string, (f: Figures) => string, string][] = [
      ['image phase: payload share of line rate', (f) => `${pct(share(f.imageBytes, f.imageSeconds, f.baud))} (${f.imageBytes} B in ${f.imageSeconds.toFixed(2)} s)`, '≥ 90 % at 115200'],
      ['image phase / XMODEM-1K ceiling (99.5 %)', (f) => pct(share(f.imageBytes, f.imageSeconds, f.baud) / CEILING), '—'],
      ['whole recovery: payload share of line rate', (f) => `${pct(share(f.totalBytes, f.wholeSeconds, f.baud))} (${f.totalBytes} B in ${f.wholeSeconds.toFixed(2)} s)`, '≥ 90 % at 115200'],
      ['blocks sent again', (f) => String(f.resent), '0'],
    ];
    console.log(`\n| measure | ${runs.map((r) => `${r.baud} baud`).join(' | ')} | target |`);
    console.log(`|---|${runs.map(() => '---').join('|')}|---|`);
    for (const [name, cell, target] of rows) console.log(`| ${name} | ${runs.map(cell).join(' | ')} | ${target} |`);
    console.log('\n(Simulated erase and flash-write times set to 0: only the link and the protocol are measured.)');
  } finally {
    await fs.rm(imagesDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
