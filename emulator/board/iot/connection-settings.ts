// What an app's CmdArgs say about its cloud connection, read as Microsoft's AzureIoT sample reads its options
// (github.com/Azure/azure-sphere-samples, Samples/AzureIoT: READMEStartWithIoTHub.md, READMEAddDPS.md, and manifests
// such as `"CmdArgs": ["--ConnectionType", "DPS", "--ScopeID", "0ne0099999D"]`): `--ConnectionType IoTHub` with
// `--Hostname <hub host>`, or `--ConnectionType DPS` with `--ScopeID <ID scope>`. Without `--ConnectionType`, a lone
// `--Hostname` or `--ScopeID` says which. Options the sample takes as `--name=value` are read that way too; other
// options (an app's own) are left alone.

export type IotConnectionSettings =
  | { kind: 'hub'; /** host[:port] as written, e.g. contoso-hub.azure-devices.net or 127.0.0.1:40001 */ hostname: string }
  | { kind: 'dps'; idScope: string };

export type IotSettingsResult = { settings: IotConnectionSettings } | { problem: string };

/** A DNS name or IPv4 address (no port). */
const HOST_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?$/;
/** DPS ID scopes look like 0ne00111111; any short run of letters and digits is taken. */
const ID_SCOPE = /^[A-Za-z0-9]{1,64}$/;

function optionValues(cmdArgs: readonly string[]): Map<string, string> {
  const values = new Map<string, string>();
  for (let i = 0; i < cmdArgs.length; i++) {
    const arg = cmdArgs[i]!;
    if (!arg.startsWith('--')) continue;
    const eq = arg.indexOf('=');
    if (eq > 2) values.set(arg.slice(2, eq).toLowerCase(), arg.slice(eq + 1));
    else if (i + 1 < cmdArgs.length) values.set(arg.slice(2).toLowerCase(), cmdArgs[++i]!);
  }
  return values;
}

/** A host name or address, optionally with a port (1–65535): what the simulator takes as a hub or DPS host. */
export function isValidHost(hostname: string): boolean {
  const { host, port } = hostAndPort(hostname);
  return HOST_NAME.test(host) && Number.isInteger(port) && port >= 1 && port <= 65535;
}

/** `host[:port]` → host and port (8883, MQTT over TLS, when none is given). */
export function hostAndPort(hostname: string, defaultPort = 8883): { host: string; port: number } {
  const match = /^(.*):(\d{1,5})$/.exec(hostname);
  return match ? { host: match[1]!, port: Number(match[2]) } : { host: hostname, port: defaultPort };
}

/** The app's connection, a problem with it (the app would exit with a configuration error), or undefined: no IoT app. */
export function iotSettingsFromCmdArgs(cmdArgs: readonly string[] | undefined): IotSettingsResult | undefined {
  if (!cmdArgs || cmdArgs.length === 0) return undefined;
  const options = optionValues(cmdArgs);
  const hostname = options.get('hostname');
  const idScope = options.get('scopeid');
  const type = options.get('connectiontype') ?? (hostname !== undefined ? 'IoTHub' : idScope !== undefined ? 'DPS' : undefined);
  if (type === undefined) return undefined;
  switch (type.toLowerCase()) {
    case 'iothub':
      if (hostname === undefined) return { problem: '--ConnectionType IoTHub needs --Hostname <hub host name>' };
      if (!isValidHost(hostname)) return { problem: `--Hostname '${hostname.slice(0, 100)}' is not a host name (or host:port)` };
      return { settings: { kind: 'hub', hostname } };
    case 'dps':
      if (idScope === undefined) return { problem: '--ConnectionType DPS needs --ScopeID <ID scope>' };
      if (!ID_SCOPE.test(idScope)) return { problem: `--ScopeID '${idScope.slice(0, 100)}' is not an ID scope (letters and digits, e.g. 0ne00111111)` };
      return { settings: { kind: 'dps', idScope } };
    case 'iotedge':
      return { problem: '--ConnectionType IoTEdge is not simulated; use IoTHub or DPS' };
    default:
      return { problem: `--ConnectionType '${type.slice(0, 40)}' is not IoTHub or DPS` };
  }
}
