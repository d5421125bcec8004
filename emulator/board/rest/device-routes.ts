// Device-level endpoints: status, OS version, identity, capabilities, manufacturing state, restart, images (the OS
// components and every sideloaded one).
import type { AppRuntime } from '../apps/app-runtime';
import { badRequest, DeviceErrorCode, DeviceRestError } from '../device-errors';
import type { BoardContext } from './context';
import { drain, mediaType, ok, readJsonObject, type Router } from './http-kit';

const MANUFACTURING_TARGETS = ['Module1Complete', 'DeviceComplete'];

/**
 * The OS components `GET /images` lists before the sideloaded ones (docs/device-rest-api.md#device). Their IDs and
 * sizes are the simulator's own; 8548b129-… is not among them because real boards use it for gdbserver.
 */
const OS_COMPONENTS = [
  { uid: 'ec96028b-080b-4ff5-9ef1-b40264a8c652', image_type: 7, name: 'NW Kernel', length: 2544816 },
  { uid: 'a33b21b2-0be7-4255-97ca-cb17e7589009', image_type: 3, name: 'Pluton Runtime', length: 49152 },
  { uid: '6d2512b5-b9d9-4a2a-8d2e-6b0f6d8e5f7b', image_type: 8, name: 'Root FileSystem', length: 1925120 },
];

export function addDeviceRoutes(router: Router, board: BoardContext, apps: AppRuntime): void {
  router
    .add('GET', '/status', () => ok({ uptime: board.uptimeSeconds() }))
    .add('GET', '/osversion', () => ok({ osversion: board.store.view.osVersion }))
    .add('GET', '/abi_versions', () => ok({ SecureWorldRuntime: 2, OSRuntime: 3, ApplicationRuntime: 1 }))
    .add('GET', '/device/security_state', () => ok({
      securityState: board.store.view.securityState,
      deviceIdentifier: board.deviceId,
      deviceIdentityPublicKey: board.deviceId,
    }))
    .add('GET', '/device/capabilities', () => ok({ device_capabilities: [...board.store.view.capabilities] }))
    .add('GET', '/device/manufacturing_state', () => ok({ manufacturingState: board.store.view.manufacturingState }))
    .add('PUT', '/device/manufacturing_state', async (req) => {
      const body = await readJsonObject(req, DeviceErrorCode.invalidRequestUri);
      const target = body.manufacturingState;
      if (typeof target !== 'string' || !MANUFACTURING_TARGETS.includes(target)) {
        throw badRequest(DeviceErrorCode.invalidRequestUri, 'manufacturingState must be Module1Complete or DeviceComplete');
      }
      await board.store.update((state) => {
        state.manufacturingState = target as 'Module1Complete' | 'DeviceComplete';
      });
      return ok();
    })
    .add('POST', '/restart', (req) => {
      // Since API 4.2.0 the body is text/plain; clients that send nothing (no Content-Type) are accepted too.
      const type = mediaType(req);
      drain(req);
      if (type !== undefined && type !== 'text/plain') {
        throw new DeviceRestError(415, undefined, `POST /restart takes text/plain, not ${type}`);
      }
      board.requestRestart();
      return ok({ restartingSystem: true });
    })
    .add('GET', '/images', () => ok({
      is_ota_update_in_progress: false,
      has_staged_updates: board.store.view.stagedImage !== null,
      restart_required: false,
      components: [
        ...OS_COMPONENTS.map((c) => ({
          uid: c.uid,
          image_type: c.image_type,
          is_update_staged: false,
          does_image_type_require_restart: true,
          name: c.name,
          images: [{ uid: c.uid, length_in_bytes: c.length, uncompressed_length_in_bytes: c.length, replica_type: 0 }],
        })),
        ...apps.imagesComponents(),
      ],
    }));
}
