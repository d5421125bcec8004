// Operations_List (`GET /providers/Microsoft.AzureSphere/operations`): the RBAC operations of the provider, the names
// Azure role definitions and AuthorizationFailed messages use.
import { TYPES } from './arm-resources';

const ACTIONS: [type: string, operation: string, what: string][] = [
  [TYPES.catalog, 'read', 'Read catalogs'],
  [TYPES.catalog, 'write', 'Create or update catalogs'],
  [TYPES.catalog, 'delete', 'Delete catalogs'],
  [TYPES.catalog, 'countDevices/action', 'Count the devices of a catalog'],
  [TYPES.catalog, 'listDeployments/action', 'List the deployments of a catalog'],
  [TYPES.catalog, 'listDeviceGroups/action', 'List the device groups of a catalog'],
  [TYPES.catalog, 'listDeviceInsights/action', 'List the device insights of a catalog'],
  [TYPES.catalog, 'listDevices/action', 'List the devices of a catalog'],
  [TYPES.catalog, 'uploadImage/action', 'Upload an image to a catalog'],
  [TYPES.certificate, 'read', 'Read certificates'],
  [TYPES.certificate, 'retrieveCertChain/action', 'Retrieve a certificate chain'],
  [TYPES.certificate, 'retrieveProofOfPossessionNonce/action', 'Retrieve a proof-of-possession certificate'],
  [TYPES.image, 'read', 'Read images'],
  [TYPES.image, 'write', 'Create images'],
  [TYPES.image, 'delete', 'Delete images'],
  [TYPES.product, 'read', 'Read products'],
  [TYPES.product, 'write', 'Create or update products'],
  [TYPES.product, 'delete', 'Delete products'],
  [TYPES.product, 'countDevices/action', 'Count the devices of a product'],
  [TYPES.product, 'generateDefaultDeviceGroups/action', 'Create the default device groups of a product'],
  [TYPES.deviceGroup, 'read', 'Read device groups'],
  [TYPES.deviceGroup, 'write', 'Create or update device groups'],
  [TYPES.deviceGroup, 'delete', 'Delete device groups'],
  [TYPES.deviceGroup, 'claimDevices/action', 'Claim devices into a device group'],
  [TYPES.deviceGroup, 'countDevices/action', 'Count the devices of a device group'],
  [TYPES.deployment, 'read', 'Read deployments'],
  [TYPES.deployment, 'write', 'Create deployments'],
  [TYPES.deployment, 'delete', 'Delete deployments'],
  [TYPES.device, 'read', 'Read devices'],
  [TYPES.device, 'write', 'Claim or move devices'],
  [TYPES.device, 'delete', 'Delete devices'],
  [TYPES.device, 'generateCapabilityImage/action', 'Generate a device capability image'],
];

export function providerOperations(): Record<string, unknown>[] {
  return ACTIONS.map(([type, operation, description]) => ({
    name: `${type}/${operation}`,
    isDataAction: false,
    display: { provider: 'Microsoft Azure Sphere', resource: type.split('/').pop(), operation: description, description },
    origin: 'user,system',
    ...(operation.endsWith('/action') ? { actionType: 'Internal' } : {}),
  }));
}
