// The debugging server a board needs before an app can run under the debugger. The real CLI sideloads the SDK's
// gdbserver.imagepackage right after installing the appDevelopment capability (`azsphere device enable-development`)
// and removes it again with `enable-cloud-test`; the simulator stands for that by installing this component together
// with capability 11 and removing it when a capability file without 11 is installed. Its component and image IDs are
// the ones real boards list (`azsphere device image list-installed` output in WIZnet-Azure-Sphere/ASG200_App,
// Software/WIZASG200_HLApp_AzureIoT/README.md); its size is the simulator's.
import type { InstalledComponentRecord } from '../board-state';

export const GDBSERVER_COMPONENT_ID = '8548b129-b16f-4f84-8dbe-d2c847862e78';
export const GDBSERVER_IMAGE_ID = '2eac78bb-c68c-4aa3-9849-9c82d65d9406';

/** The capability that unlocks sideloading development images, debugging and memory statistics. */
export const APP_DEVELOPMENT_CAPABILITY = 11;

export function gdbserverRecord(): InstalledComponentRecord {
  return {
    componentId: GDBSERVER_COMPONENT_ID,
    imageId: GDBSERVER_IMAGE_ID,
    imageType: 10,
    name: 'gdbserver',
    lengthInBytes: 368_640,
    storageLimitKB: 0,
    storageUsedKB: 0,
    runState: 'stopped',
  };
}
