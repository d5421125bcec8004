// Application endpoints: status and start/stop/debug, mutable-storage quota, memory statistics, and removing a
// sideloaded component. The state they act on is apps/app-runtime.ts.
import { isGuid } from '../../../src/device/image-package/guid';
import { APP_TRIGGERS, type AppRuntime, type AppTrigger } from '../apps/app-runtime';
import { badRequest, DeviceErrorCode } from '../device-errors';
import { ok, readJsonObject, type Router } from './http-kit';

/** A component ID in a path: a GUID (any case), else 400 CannotParseComponentId. */
function componentIdFrom(text: string): string {
  if (!isGuid(text)) throw badRequest(DeviceErrorCode.cannotParseComponentId, 'The component ID is not a GUID');
  return text.toLowerCase();
}

export function addAppRoutes(router: Router, apps: AppRuntime): void {
  router
    .add('GET', '/app/status/:cid', (_req, [cid]) => ok({ state: apps.status(componentIdFrom(cid)) }))
    .add('PATCH', '/app/status/:cid', async (req, [cidText]) => {
      const cid = componentIdFrom(cidText);
      const body = await readJsonObject(req, DeviceErrorCode.triggerDoesNotExist);
      const trigger = body.trigger;
      if (typeof trigger !== 'string' || !APP_TRIGGERS.includes(trigger as AppTrigger)) {
        throw badRequest(DeviceErrorCode.triggerDoesNotExist, 'trigger must be start, stop or startDebug');
      }
      return ok(await apps.trigger(cid, trigger as AppTrigger));
    })
    .add('GET', '/app/quota/:cid', (_req, [cid]) => ok(apps.quota(componentIdFrom(cid))))
    .add('DELETE', '/app/image/:cid', async (_req, [cid]) => {
      await apps.remove(componentIdFrom(cid));
      return ok();
    })
    .add('GET', '/stats/memory/groups/applications', () => ok(apps.memoryStats()));
}
