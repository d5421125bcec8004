// Registers one device with the emulator's DPS through Microsoft's provisioning SDK (azure-iot-provisioning-device
// with its MQTT transport and azure-iot-security-x509), in a process of its own: those transports take no `ca` option
// (`setTransportOptions` knows only `pollingInterval`), so the emulator's CA can reach them only as a trusted root of
// the whole process, NODE_EXTRA_CA_CERTS (nodejs.org/api/cli.html#node_extra_ca_certsfile), which Node reads once at
// start. Changing the test process's own trust instead would leak into every other test.
// stdin: {"host","idScope","registrationId","cert","key"}; stdout: {"result": RegistrationResult} or {"error": {name, message}}.
import { ProvisioningDeviceClient } from 'azure-iot-provisioning-device';
import { Mqtt } from 'azure-iot-provisioning-device-mqtt';
import { X509Security } from 'azure-iot-security-x509';

interface Request {
  host: string;
  idScope: string;
  registrationId: string;
  cert: string;
  key: string;
}

async function main(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Request;
  const transport = new Mqtt();
  const client = ProvisioningDeviceClient.create(request.host, request.idScope, transport, new X509Security(request.registrationId, { cert: request.cert, key: request.key }));
  try {
    const result = await client.register();
    process.stdout.write(JSON.stringify({ result }));
  } catch (err) {
    process.stdout.write(JSON.stringify({ error: { name: (err as Error).name, message: (err as Error).message } }));
  }
  transport.disconnect(() => process.exit(0));
}

void main();
