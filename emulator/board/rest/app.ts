// The device REST API as one request handler, ready for an https.Server fed by the board's TCP stack or loopback.
import type { AppRuntime } from '../apps/app-runtime';
import { addAppRoutes } from './app-routes';
import type { BoardContext } from './context';
import { addCertstoreRoutes } from './certstore-routes';
import { addDeviceRoutes } from './device-routes';
import { addDiagnosticsRoutes } from './diagnostics-routes';
import { Router } from './http-kit';
import { addNetRoutes } from './net-routes';
import { addProxyRoutes } from './proxy-routes';
import { addUpdateRoutes } from './update-routes';
import { addWifiRoutes } from './wifi-routes';

/** `apps` holds the board's applications: the device, update and app routes share it. */
export function createDeviceRestRouter(board: BoardContext, apps: AppRuntime): Router {
  const router = new Router();
  addDeviceRoutes(router, board, apps);
  addWifiRoutes(router, board);
  addNetRoutes(router, board);
  addCertstoreRoutes(router, board);
  addUpdateRoutes(router, board, apps);
  addAppRoutes(router, apps);
  addProxyRoutes(router, board);
  addDiagnosticsRoutes(router, board);
  return router;
}
