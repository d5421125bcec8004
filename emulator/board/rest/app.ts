// The device REST API as one request handler, ready for an https.Server fed by the board's TCP stack or loopback.
import type { BoardContext } from './context';
import { addCertstoreRoutes } from './certstore-routes';
import { addDeviceRoutes } from './device-routes';
import { addDiagnosticsRoutes } from './diagnostics-routes';
import { Router } from './http-kit';
import { addNetRoutes } from './net-routes';
import { addProxyRoutes } from './proxy-routes';
import { addUpdateRoutes } from './update-routes';
import { addWifiRoutes } from './wifi-routes';

export function createDeviceRestRouter(board: BoardContext): Router {
  const router = new Router();
  addDeviceRoutes(router, board);
  addWifiRoutes(router, board);
  addNetRoutes(router, board);
  addCertstoreRoutes(router, board);
  addUpdateRoutes(router, board);
  addProxyRoutes(router, board);
  addDiagnosticsRoutes(router, board);
  return router;
}
