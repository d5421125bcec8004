// One GET /device/security_state over a socket that is not yet trusted, to learn which device ID's pin applies.
// Nothing secret is sent on it, and the socket is closed afterwards.
import * as http from 'node:http';
import type * as tls from 'node:tls';
import { DeviceError } from '../device-error';
import { DEVICE_HOST_HEADER } from '../transport';

const DEVICE_ID_PATTERN = /^[0-9A-Fa-f]{128}$/;

export function readDeviceIdOverSocket(socket: tls.TLSSocket, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.request({
      method: 'GET',
      path: '/device/security_state',
      headers: { Host: DEVICE_HOST_HEADER, Accept: 'application/json', Connection: 'close' },
      createConnection: () => socket, // no agent: a one-off request on this socket
      // Never dialled (createConnection makes the socket), but it keeps VS Code's proxy support from replacing the
      // request's connection with its own to localhost:80 inside the extension host (as in http-session.ts).
      socketPath: 'sphere-board',
    });
    req.setTimeout(timeoutMs, () => req.destroy(new DeviceError('TIMEOUT', 'The board did not say which device it is (GET /device/security_state timed out).')));
    req.on('error', reject);
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        try {
          const body = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { deviceIdentifier?: unknown };
          const id = body.deviceIdentifier;
          if (res.statusCode !== 200 || typeof id !== 'string' || !DEVICE_ID_PATTERN.test(id)) {
            throw new Error(`HTTP ${res.statusCode}`);
          }
          resolve(id);
        } catch (err) {
          reject(new DeviceError('BAD_RESPONSE', `The board did not report a valid device ID: ${(err as Error).message}`, { cause: err }));
        }
      });
    });
    req.end();
  });
}
