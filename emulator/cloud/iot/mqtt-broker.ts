// What the hub's and the provisioning endpoint's MQTT sides share: an aedes broker (MQTT 3.1.1 framing, sessions,
// QoS 1 acknowledgements and keep-alive are aedes's; the emulator only adds the IoT Hub / DPS rules through aedes's
// hooks) and the way both answer a device: on a reply topic, to that one client only — never through the broker's
// routing, since every device subscribes to the same reply topics (`$iothub/twin/res/#`, `$dps/registrations/res/#`).
// aedes 1.x is an ES module; these files are CommonJS, so its types are imported as an ES module would see them.
import type { Aedes, AedesOptions, Client } from 'aedes' with { 'resolution-mode': 'import' };

/** aedes 1.x is an ES module; loaded once, on the first broker. */
let aedesModule: Promise<typeof import('aedes', { with: { 'resolution-mode': 'import' } })> | undefined;

export async function createBroker(options: AedesOptions): Promise<Aedes> {
  aedesModule ??= import('aedes');
  const { Aedes } = await aedesModule;
  // No $SYS heartbeat: nobody may subscribe to $SYS here, and its timer would only keep the process busy.
  return Aedes.createBroker({ heartbeatInterval: 24 * 3600 * 1000, ...options });
}

/** Publishes to `client` alone, QoS 0 (the reply topics are QoS 0 in IoT Hub and DPS). */
export function replyTo(client: Client, topic: string, payload: string | Buffer): void {
  if (client.closed) return;
  client.publish({ cmd: 'publish', topic, payload, qos: 0, dup: false, retain: false }, () => {});
}

/** The `?a=b&c=d` part of a topic, decoded (`$rid`, `operationId`, property bags). */
export function topicQuery(topic: string): Map<string, string> {
  const query = new Map<string, string>();
  const at = topic.indexOf('?');
  if (at < 0) return query;
  for (const pair of topic.slice(at + 1).split('&')) {
    if (pair.length === 0) continue;
    const eq = pair.indexOf('=');
    const [key, value] = eq < 0 ? [pair, ''] : [pair.slice(0, eq), pair.slice(eq + 1)];
    query.set(safeDecode(key), safeDecode(value));
  }
  return query;
}

/** A url-encoded property bag, `k1=v1&k2=v2` (a D2C topic's tail), as a record. */
export function decodePropertyBag(bag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const pair of bag.split('&')) {
    if (pair.length === 0) continue;
    const eq = pair.indexOf('=');
    out[safeDecode(eq < 0 ? pair : pair.slice(0, eq))] = eq < 0 ? '' : safeDecode(pair.slice(eq + 1));
  }
  return out;
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
