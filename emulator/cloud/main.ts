// CLI: npm run emulator -- [--port N] --state DIR [--seed] [--bulk-devices N] [--quiet]
// Prints one JSON line {"event":"listening",url,port,caCertPath,…} on stdout when ready (scripts and tests parse it),
// with the IoT hubs' and DPSs' host names (hubs, provisioningServices, idScopes, provisioningHost), then one line per
// request on stderr unless --quiet. SIGINT/SIGTERM close it cleanly.
import { parseArgs } from 'node:util';
import { startCloudEmulator } from './index';

function fail(message: string): never {
  process.stderr.write(`cloud emulator: ${message}\n`);
  process.exit(2);
}

function integerOption(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) fail(`--${name} must be an integer from ${min} to ${max}, not '${raw}'`);
  return value;
}

async function main(): Promise<void> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        port: { type: 'string' },
        state: { type: 'string' },
        seed: { type: 'boolean', default: false },
        'bulk-devices': { type: 'string' },
        'clock-tolerance': { type: 'string' },
        quiet: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (err) {
    fail((err as Error).message);
  }
  if (!values.state) fail('--state DIR is required (the emulator keeps its journal, keys and TLS certificate there)');
  const emulator = await startCloudEmulator({
    stateDir: values.state,
    port: integerOption('port', values.port, 0, 65535),
    seed: values.seed,
    bulkDevices: integerOption('bulk-devices', values['bulk-devices'], 0, 1_000_000),
    clockToleranceSec: integerOption('clock-tolerance', values['clock-tolerance'], 0, 86_400),
    log: values.quiet ? undefined : (line) => process.stderr.write(`${new Date().toISOString()} ${line}\n`),
  });
  process.stdout.write(
    `${JSON.stringify({
      event: 'listening',
      url: emulator.url,
      port: emulator.port,
      caCertPath: emulator.caCertPath,
      authorities: { organizations: emulator.authorityFor('organizations'), common: emulator.authorityFor('common') },
      knownAuthority: `127.0.0.1:${emulator.port}`,
      // Each IoT hub and DPS (service API) on its own port, and where devices register with DPS.
      ...emulator.iotHostNames(),
      provisioningHost: emulator.provisioningHost,
    })}\n`,
  );
  const stop = (): void => {
    void emulator.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => fail((err as Error).message));
