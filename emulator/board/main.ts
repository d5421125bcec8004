// `npm run sim -- --link PATH [--baud N] [--state DIR] [--corrupt RATE] [--drop RATE] [--seed N] [--name NAME]
//                 [--radio FILE.json] [--rest-port N]`
// Runs one simulated board until SIGINT/SIGTERM, then removes its link and announcement and exits cleanly.
// The line faults' seed is printed at start (picked when --seed is not given), so a run can be replayed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { MAX_SEED, parseSeed } from '../common/seeded-random';
import { validateRadioWorld, type AccessPoint } from './radio';
import { DEFAULT_BAUD, startSimulatedBoard, type SimulatedBoardOptions } from './simulated-board';

const USAGE = 'Usage: npm run sim -- --link PATH [--baud N] [--state DIR] [--corrupt RATE] [--drop RATE] [--seed N] [--name NAME] [--radio FILE.json] [--rest-port N]';

class UsageError extends Error {}

function parseNumber(flag: string, text: string | undefined, check: (n: number) => boolean, expected: string): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || !check(value)) {
    throw new UsageError(`--${flag} must be ${expected}, got "${text}"`);
  }
  return value;
}

function readSeed(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  try {
    return parseSeed(text);
  } catch {
    throw new UsageError(`--seed must be an integer from 0 to ${MAX_SEED}, got "${text}"`);
  }
}

function readRadio(file: string): AccessPoint[] {
  try {
    return validateRadioWorld(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch (error) {
    throw new UsageError(`--radio ${file}: ${(error as Error).message}`);
  }
}

export function parseCommandLine(argv: string[]): SimulatedBoardOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      link: { type: 'string' },
      baud: { type: 'string' },
      state: { type: 'string' },
      corrupt: { type: 'string' },
      drop: { type: 'string' },
      seed: { type: 'string' },
      name: { type: 'string' },
      radio: { type: 'string' },
      'rest-port': { type: 'string' },
    },
  });
  if (!values.link) throw new UsageError('--link PATH is required');
  const rate = (n: number): boolean => n >= 0 && n <= 1;
  const name = values.name;
  const linkPath = path.resolve(values.link);
  return {
    linkPath,
    stateDir: path.resolve(values.state ?? path.join('.state', 'boards', name ?? path.basename(linkPath))),
    baud: parseNumber('baud', values.baud, (n) => Number.isInteger(n) && n > 0, 'a positive integer') ?? DEFAULT_BAUD,
    corruptRate: parseNumber('corrupt', values.corrupt, rate, 'a rate between 0 and 1'),
    dropRate: parseNumber('drop', values.drop, rate, 'a rate between 0 and 1'),
    faultSeed: readSeed(values.seed),
    name,
    radio: values.radio ? readRadio(values.radio) : undefined,
    loopbackPort: parseNumber('rest-port', values['rest-port'], (n) => Number.isInteger(n) && n >= 0 && n < 65536, 'a port number'),
  };
}

async function main(): Promise<void> {
  let options: SimulatedBoardOptions;
  try {
    options = parseCommandLine(process.argv.slice(2));
  } catch (error) {
    console.error(`${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  const board = await startSimulatedBoard(options);
  console.log(`Simulated board "${board.name}" ready`);
  console.log(`  device ID : ${board.deviceId}`);
  console.log(`  serial    : ${board.linkPath} (${options.baud} baud, SLIP, board 192.168.35.2)`);
  console.log(`  CA        : ${board.caCertPath}`);
  const rates = `corrupt ${options.corruptRate ?? 0} per byte, drop ${options.dropRate ?? 0} per frame`;
  console.log(`  faults    : ${rates}, seed ${board.faultSeed} (replay with --seed ${board.faultSeed})`);
  if (board.loopback) console.log(`  REST      : https://${board.loopback.host}:${board.loopback.port} (loopback)`);
  let stopping = false;
  const shutdown = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    console.log(`${signal}: stopping board`);
    board.stop().then(() => process.exit(0), (error: unknown) => {
      console.error(`Stop failed: ${(error as Error).message}`);
      process.exit(1);
    });
  };
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}

if (require.main === module) {
  main().catch((error: unknown) => {
    console.error(`Simulated board failed: ${(error as Error).message}`);
    process.exit(1);
  });
}
