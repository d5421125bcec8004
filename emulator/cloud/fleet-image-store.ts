// Where the bytes of uploaded image packages live: one file per tenant and image under <state>/images/, written
// durably before the upload's journal record, so an acknowledged image always has its bytes (a crash in between
// leaves only an unreferenced file, which the next upload of that image overwrites). The journal keeps the metadata.
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileDurably } from './files';

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export class FleetImageStore {
  constructor(private readonly stateDir: string) {}

  private pathOf(tenantId: string, imageId: string): string {
    // Both come from the state (lower-case GUIDs), never straight from a path: checked anyway, as they name files.
    if (!GUID.test(tenantId) || !GUID.test(imageId)) throw new Error(`not an image of the state: ${tenantId}/${imageId}`);
    return join(this.stateDir, 'images', tenantId, `${imageId}.imagepackage`);
  }

  save(tenantId: string, imageId: string, bytes: Uint8Array): void {
    mkdirSync(join(this.stateDir, 'images', tenantId), { recursive: true, mode: 0o700 });
    writeFileDurably(this.pathOf(tenantId, imageId), bytes, 0o600);
  }

  read(tenantId: string, imageId: string): Buffer {
    return readFileSync(this.pathOf(tenantId, imageId));
  }
}
