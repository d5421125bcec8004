// Removing an application (or board configuration) from the board, as `azsphere device sideload delete -i` does.
// Only those can go: a component ID of an OS part is refused before anything is deleted.
import { DeviceError } from '../device-error';
import { checkComponentId, type DeviceRestClient } from '../rest/device-rest-client';
import { SIDELOADABLE_IMAGE_TYPES } from './sideload';

export interface DeleteAppResult {
  /** False when the board had no such component (nothing to delete). */
  deleted: boolean;
  /** The component's name on the board, when it was there. */
  name?: string;
  /** The board restarts to complete the removal. */
  restartingSystem: boolean;
}

export async function deleteApp(client: DeviceRestClient, componentId: string): Promise<DeleteAppResult> {
  const cid = checkComponentId(componentId, 'delete image');
  const component = (await client.listImages()).components.find((c) => c.uid.toLowerCase() === cid);
  if (!component) return { deleted: false, restartingSystem: false };
  if (!SIDELOADABLE_IMAGE_TYPES.has(component.image_type)) {
    throw new DeviceError(
      'INVALID_INPUT',
      `${component.name} (${cid}) is part of the board's OS (image type ${component.image_type}), not an application; ` +
        'only applications and board configurations can be deleted.',
      { field: 'componentId' },
    );
  }
  const { restartingSystem } = await client.deleteImage(cid);
  return { deleted: true, name: component.name, restartingSystem };
}
