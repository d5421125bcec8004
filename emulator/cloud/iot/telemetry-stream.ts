// The emulator's own window on a hub's device-to-cloud messages. Azure delivers them through the hub's Event
// Hubs-compatible endpoint over AMQP (learn.microsoft.com/azure/iot-hub/iot-hub-devguide-messages-read-builtin),
// which the emulator does not speak; instead `GET /$emulator/telemetry[?deviceId=]` on the hub's port answers with a
// Server-Sent Events stream (html.spec.whatwg.org/multipage/server-sent-events.html): first the recent messages the
// hub kept, then each new one as a `data:` line of JSON, and `event: connection` lines when a device connects or
// disconnects. A comment line every 15 s keeps idle connections open.
import type { ServerResponse } from 'node:http';
import type { HubActivity, HubEvent, TelemetryMessage } from './hub-activity';

const KEEP_ALIVE_MS = 15_000;

export class TelemetryStreams {
  private readonly open = new Set<ServerResponse>();

  constructor(private readonly activity: HubActivity) {}

  /** Serves one subscriber on `res` until it goes away; `deviceId` undefined = every device of the hub. */
  serve(res: ServerResponse, deviceId: string | undefined): void {
    res.writeHead(200, { 'content-type': 'text/event-stream; charset=utf-8', 'cache-control': 'no-store', 'x-accel-buffering': 'no' });
    this.open.add(res);
    const wanted = (id: string) => deviceId === undefined || id === deviceId;
    const sendMessage = (message: TelemetryMessage) => res.write(`data: ${JSON.stringify(message)}\n\n`);
    res.write(': Sphere Explorer cloud emulator: device-to-cloud messages\n\n');
    for (const message of this.activity.recentTelemetry()) if (wanted(message.deviceId)) sendMessage(message);
    const stop = this.activity.subscribe((event: HubEvent) => {
      if (event.kind === 'telemetry' && wanted(event.message.deviceId)) sendMessage(event.message);
      else if (event.kind === 'connection' && wanted(event.event.deviceId)) res.write(`event: connection\ndata: ${JSON.stringify(event.event)}\n\n`);
    });
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), KEEP_ALIVE_MS);
    keepAlive.unref();
    res.on('close', () => {
      stop();
      clearInterval(keepAlive);
      this.open.delete(res);
    });
  }

  /** Ends every open stream (the emulator is closing). */
  closeAll(): void {
    for (const res of this.open) res.end();
  }
}
