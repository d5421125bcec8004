// Conformance of the emulator's Microsoft.AzureSphere API with the public spec's examples: every entry of the table in
// test/helpers/arm-sphere-examples.ts (one per operationId, derived from the 2024-04-01 examples) is replayed in order
// against a seeded emulator, asserting the status code is one the spec declares, the LRO header of the operation's
// final-state-via on a 201/202 (and the operation polled to its end), and the response envelope: id, name, type
// (compared without case, as ARM's are) and properties, for a resource and for each item of a list (`{value, nextLink?}`).
import assert from 'node:assert/strict';
import type { CloudEmulator } from '../../../emulator/cloud/index';
import { CONFORMANCE, type ConformanceEntry } from '../../helpers/arm-sphere-examples';
import { ARM_SCOPE, call, seededEmulatorPerSuite, tokenFor } from '../../helpers/cloud-emulator';
import { appImage, COMPONENTS } from '../../helpers/fleet-emulator';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const IMAGE1_ID = 'b43206c8-f384-44a2-84ad-c86ce2937a01';
const IMAGE2_ID = 'b43206c8-f384-44a2-84ad-c86ce2937a02';
const DEPLOYMENT_ID = 'd3b10e11-0000-4000-8000-000000000001';

describe('cloud emulator: Microsoft.AzureSphere conformance with the spec examples', () => {
  const seeded = seededEmulatorPerSuite({ operationDelayMs: 0 });
  let emulator: CloudEmulator;
  let token: string;
  let fill: (text: string) => string;

  before(async () => {
    emulator = seeded.emulator;
    token = await tokenFor(emulator, 'avery@contoso.com', ARM_SCOPE);
    const values: Record<string, string> = {
      '{S}': emulator.seed.catalogs.subscriptionId,
      '{RG}': emulator.seed.catalogs.resourceGroup,
      $IMAGE1_ID: IMAGE1_ID,
      $IMAGE2_ID: IMAGE2_ID,
      $IMAGE1: appImage(COMPONENTS.sensor, IMAGE1_ID).toString('base64'),
      $IMAGE2: appImage(COMPONENTS.blink, IMAGE2_ID, 'Blink').toString('base64'),
      $DEVICE1: emulator.seed.availableDeviceIds[1]!,
      $DEVICE2: emulator.seed.availableDeviceIds[2]!,
      $DEPLOYMENT_ID: DEPLOYMENT_ID,
    };
    const keys = Object.keys(values).sort((a, b) => b.length - a.length);
    fill = (text) => keys.reduce((t, k) => t.split(k).join(values[k]!), text);
  });

  const request = (method: string, path: string, body?: unknown) => {
    const url = path.startsWith('https://') ? path.slice(emulator.url.length) : `${path}${path.includes('?') ? '&' : '?'}api-version=2024-04-01`;
    return call(emulator, encodeURI(url).replace(/%25/g, '%'), { method, token, ...(body === undefined ? {} : { body: body as object }) });
  };

  const assertEnvelope = (item: Json, type: string, idSuffix?: string) => {
    assert.equal(String(item.type).toLowerCase(), type.toLowerCase(), JSON.stringify(item).slice(0, 300));
    assert.equal(typeof item.name, 'string');
    assert.ok(String(item.id).toLowerCase().startsWith('/subscriptions/'), item.id);
    assert.ok(String(item.id).toLowerCase().endsWith(`/${String(item.name).toLowerCase()}`), item.id);
    if (idSuffix) assert.equal(String(item.id).toLowerCase(), idSuffix.toLowerCase());
    assert.equal(typeof item.properties, 'object');
  };

  it('the table names every operation of the spec once', () => {
    assert.equal(CONFORMANCE.length, 45);
    assert.equal(new Set(CONFORMANCE.map((e) => e.operationId)).size, 45);
  });

  for (const entry of CONFORMANCE) {
    it(`${entry.operationId} (${entry.method}, from ${entry.example})`, async () => replay(entry));
  }

  async function replay(entry: ConformanceEntry): Promise<void> {
    const path = fill(entry.path);
    const body: unknown = entry.body === undefined ? undefined : JSON.parse(fill(JSON.stringify(entry.body)));
    const res = await request(entry.method, path, body);
    assert.ok(entry.codes.includes(res.status), `${entry.operationId}: ${res.status} is not among ${entry.codes.join(', ')}: ${res.text.slice(0, 400)}`);
    if (entry.lro && (res.status === 201 || res.status === 202)) {
      const header = entry.lro === 'location' ? 'location' : 'azure-asyncoperation';
      assert.ok(res.headers[header], `${entry.operationId}: ${res.status} without ${header}`);
      assert.ok(res.headers['retry-after'], `${entry.operationId}: ${res.status} without Retry-After`);
      const statusUrl = String(res.headers['azure-asyncoperation'] ?? '');
      if (statusUrl) {
        const status = await request('GET', statusUrl);
        assert.equal(status.status, 200, status.text);
        assert.ok(['InProgress', 'Succeeded', 'Failed', 'Canceled'].includes((status.json as Json).status));
      }
    }
    assert.ok(res.headers['x-ms-request-id'], 'x-ms-request-id');
    const json = res.json as Json | undefined;
    if (!entry.type || res.status === 202 || res.status === 204) return;
    assert.ok(json, `${entry.operationId}: no JSON body`);
    if (entry.list) {
      assert.ok(Array.isArray(json.value), `${entry.operationId}: no value array`);
      assert.ok(json.value.length > 0, `${entry.operationId}: an empty list proves nothing`);
      for (const item of json.value as Json[]) assertEnvelope(item, entry.type);
      if (json.nextLink !== undefined) assert.match(String(json.nextLink), /^https:\/\//);
    } else {
      // A moved device answers with its new ID; `.default` answers with the resource it stands for.
      const exactId = entry.operationId !== 'Devices_Update' && !path.endsWith('/.default');
      assertEnvelope(json, entry.type, exactId ? path.split('?')[0] : undefined);
    }
  }
});
