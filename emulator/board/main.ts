// `npm run sim -- --link PATH [--baud N] [--state DIR] [--corrupt RATE] [--drop RATE] [--seed N] [--name NAME]
//                 [--radio FILE.json] [--rest-port N] [--cloud URL --cloud-ca FILE] [--provisioning-host HOST:PORT]
//                 [--update-interval SECONDS]`
// Runs one simulated board until SIGINT/SIGTERM, then removes its link and announcement and exits cleanly.
// The line faults' seed is printed at start (picked when --seed is not given), so a run can be replayed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { MAX_SEED, parseSeed } from '../common/seeded-random';
import { isValidHost } from './iot/connection-settings';
import { DEFAULT_PROVISIONING_HOST } from './iot/iot-connections';
import { validateRadioWorld, type AccessPoint } from './radio';
import { DEFAULT_BAUD, startSimulatedBoard, type SimulatedBoardOptions } from './simulated-board';
import { DEFAULT_UPDATE_TIMING, type UpdateTiming } from './updates/cloud-updates';

const USAGE = 'Usage: npm run sim -- --link PATH [--baud N] [--state DIR] [--corrupt RATE] [--drop RATE] [--seed N] [--name NAME] [--radio FILE.json] [--rest-port N] [--cloud URL --cloud-ca FILE] [--provisioning-host HOST:PORT] [--update-interval SECONDS]';

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

function readCloudUrl(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new UsageError(`--cloud must be a URL such as https://127.0.0.1:48443, got "${text}"`);
  }
  if (url.protocol !== 'https:') throw new UsageError(`--cloud must be an https:// URL, got "${text}"`);
  return url.origin;
}

function readCloudCa(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  let pem: string;
  try {
    pem = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`--cloud-ca ${file}: ${(error as Error).message}`);
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----')) throw new UsageError(`--cloud-ca ${file} holds no PEM certificate`);
  return pem;
}

function readHost(flag: string, text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  if (!isValidHost(text)) throw new UsageError(`--${flag} must be HOST or HOST:PORT, got "${text}"`);
  return text;
}

/** `--update-interval`: whole seconds between update checks, 1 s to a day (a real board's interval is about 20 h). */
function readUpdateInterval(text: string | undefined): Partial<UpdateTiming> | undefined {
  const seconds = parseNumber('update-interval', text, (n) => Number.isInteger(n) && n >= 1 && n <= 86_400, 'a whole number of seconds from 1 to 86400');
  if (seconds === undefined) return undefined;
  // Failed checks back off from the interval up to ten intervals (at least the default ceiling).
  return { checkMs: seconds * 1000, retryMaxMs: Math.max(seconds * 10_000, DEFAULT_UPDATE_TIMING.retryMaxMs) };
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
      cloud: { type: 'string' },
      'cloud-ca': { type: 'string' },
      'provisioning-host': { type: 'string' },
      'update-interval': { type: 'string' },
    },
  });
  if (!values.link) throw new UsageError('--link PATH is required');
  if (values['cloud-ca'] !== undefined && values.cloud === undefined) throw new UsageError('--cloud-ca needs --cloud URL');
  if (values['update-interval'] !== undefined && values.cloud === undefined) throw new UsageError('--update-interval needs --cloud URL: the board checks for updates with the cloud');
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
    cloudUrl: readCloudUrl(values.cloud),
    cloudCaPem: readCloudCa(values['cloud-ca']),
    provisioningHost: readHost('provisioning-host', values['provisioning-host']),
    updateTiming: readUpdateInterval(values['update-interval']),
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
  const dps = options.provisioningHost ?? DEFAULT_PROVISIONING_HOST;
  const updateSeconds = (options.updateTiming?.checkMs ?? DEFAULT_UPDATE_TIMING.checkMs) / 1000;
  console.log(`  cloud     : ${options.cloudUrl ? `${options.cloudUrl} (daily device certificate, update check every ${updateSeconds} s); DPS ${dps}` : 'none (no device certificate, no updates; --cloud URL --cloud-ca FILE)'}`);
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
