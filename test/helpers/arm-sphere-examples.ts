// The conformance corpus of the emulator's Microsoft.AzureSphere API: one entry per operationId of the public
// Azure REST API spec, specification/sphere/resource-manager/Microsoft.AzureSphere/.../stable/2024-04-01/azuresphere.json,
// and its examples (the examples/*.json files that spec references, e.g. PutCatalog.json, PostClaimDevices.json,
// DeleteDeviceGroup.json). Each entry is derived from its example — method, path template, the shape of the request
// body — with the status codes the spec declares for the operation (the examples list the same codes), and the LRO
// header of its final-state-via. Nothing is copied verbatim beyond names, paths, enum values and status codes.
// Where an example's value cannot work against a real service the entry says what it uses instead: the examples'
// image is the placeholder string "bXliYXNlNjRzdHJpbmc=", here a real image package (`$IMAGE1`/`$IMAGE2`), and the
// examples' device ID (128 zeros) is replaced by seeded unclaimed boards (`$DEVICE1`/`$DEVICE2`).
// Entries run in order against one emulator: the catalog is created first and deleted last.
//
// Placeholders: {S} subscription, {RG} resource group, C = …/catalogs/MyCatalog1, P = C/products/MyProduct1,
// G = P/deviceGroups/MyDeviceGroup1; `$NAME` in bodies and paths is filled in by the test.

export type LroVia = 'azure-async-operation' | 'location';

export interface ConformanceEntry {
  operationId: string;
  /** The example file(s) the entry is derived from (spec folder's examples/). */
  example: string;
  method: 'GET' | 'PUT' | 'PATCH' | 'POST' | 'DELETE';
  path: string;
  body?: unknown;
  /** Status codes the spec declares for success. */
  codes: number[];
  lro?: LroVia;
  /** The resource type of a single-resource answer, or of the items of a list (`list: true`). */
  type?: string;
  list?: boolean;
}

const S = '/subscriptions/{S}';
const C = `${S}/resourceGroups/{RG}/providers/Microsoft.AzureSphere/catalogs/MyCatalog1`;
const P = `${C}/products/MyProduct1`;
const G = `${P}/deviceGroups/MyDeviceGroup1`;
const T = 'Microsoft.AzureSphere/catalogs';

export const CONFORMANCE: readonly ConformanceEntry[] = [
  { operationId: 'Operations_List', example: 'GetOperations.json', method: 'GET', path: '/providers/Microsoft.AzureSphere/operations', codes: [200] },
  { operationId: 'Catalogs_CreateOrUpdate', example: 'PutCatalog.json', method: 'PUT', path: C, body: { location: 'global' }, codes: [200, 201], lro: 'azure-async-operation', type: T },
  { operationId: 'Catalogs_Get', example: 'GetCatalog.json', method: 'GET', path: C, codes: [200], type: T },
  { operationId: 'Catalogs_ListBySubscription', example: 'GetCatalogsSub.json', method: 'GET', path: `${S}/providers/Microsoft.AzureSphere/catalogs`, codes: [200], type: T, list: true },
  { operationId: 'Catalogs_ListByResourceGroup', example: 'GetCatalogsRG.json', method: 'GET', path: `${S}/resourceGroups/{RG}/providers/Microsoft.AzureSphere/catalogs`, codes: [200], type: T, list: true },
  { operationId: 'Catalogs_Update', example: 'PatchCatalog.json', method: 'PATCH', path: C, body: { tags: {} }, codes: [200], type: T },
  { operationId: 'Certificates_ListByCatalog', example: 'GetCertificates.json', method: 'GET', path: `${C}/certificates`, codes: [200], type: `${T}/certificates`, list: true },
  { operationId: 'Certificates_Get', example: 'GetCertificate.json (serialNumber `default`; the spec says `.default`)', method: 'GET', path: `${C}/certificates/.default`, codes: [200], type: `${T}/certificates` },
  { operationId: 'Certificates_RetrieveCertChain', example: 'PostRetrieveCatalogCertChain.json', method: 'POST', path: `${C}/certificates/.default/retrieveCertChain`, codes: [200] },
  { operationId: 'Certificates_RetrieveProofOfPossessionNonce', example: 'PostRetrieveProofOfPossessionNonce.json', method: 'POST', path: `${C}/certificates/.default/retrieveProofOfPossessionNonce`, body: { proofOfPossessionNonce: 'proofOfPossessionNonce' }, codes: [200] },
  { operationId: 'Products_CreateOrUpdate', example: 'PutProduct.json', method: 'PUT', path: P, body: { properties: { description: 'MyProduct1' } }, codes: [200, 201], lro: 'azure-async-operation', type: `${T}/products` },
  { operationId: 'Products_Get', example: 'GetProduct.json', method: 'GET', path: P, codes: [200], type: `${T}/products` },
  { operationId: 'Products_ListByCatalog', example: 'GetProducts.json', method: 'GET', path: `${C}/products`, codes: [200], type: `${T}/products`, list: true },
  { operationId: 'Products_Update', example: 'PatchProduct.json', method: 'PATCH', path: P, body: { properties: { description: 'Product description.' } }, codes: [200, 202], lro: 'location', type: `${T}/products` },
  { operationId: 'Products_GenerateDefaultDeviceGroups', example: 'PostGenerateDefaultDeviceGroups.json', method: 'POST', path: `${P}/generateDefaultDeviceGroups`, codes: [200], type: `${T}/products/deviceGroups`, list: true },
  {
    operationId: 'DeviceGroups_CreateOrUpdate',
    example: 'PutDeviceGroup.json',
    method: 'PUT',
    path: G,
    body: { properties: { description: 'Description for MyDeviceGroup1', osFeedType: 'Retail', updatePolicy: 'UpdateAll', allowCrashDumpsCollection: 'Enabled', regionalDataBoundary: 'None' } },
    codes: [200, 201],
    lro: 'azure-async-operation',
    type: `${T}/products/deviceGroups`,
  },
  { operationId: 'DeviceGroups_Get', example: 'GetDeviceGroup.json', method: 'GET', path: G, codes: [200], type: `${T}/products/deviceGroups` },
  { operationId: 'DeviceGroups_ListByProduct', example: 'GetDeviceGroups.json', method: 'GET', path: `${P}/deviceGroups`, codes: [200], type: `${T}/products/deviceGroups`, list: true },
  { operationId: 'DeviceGroups_Update', example: 'PatchDeviceGroup.json', method: 'PATCH', path: G, body: { properties: { description: 'Description for MyDeviceGroup1' } }, codes: [200, 202], lro: 'location', type: `${T}/products/deviceGroups` },
  { operationId: 'DeviceGroups_ClaimDevices', example: 'PostClaimDevices.json', method: 'POST', path: `${G}/claimDevices`, body: { deviceIdentifiers: ['$DEVICE1'] }, codes: [202], lro: 'location' },
  { operationId: 'DeviceGroups_CountDevices', example: 'PostCountDevicesDeviceGroup.json', method: 'POST', path: `${G}/countDevices`, codes: [200] },
  { operationId: 'Devices_CreateOrUpdate', example: 'PutDevice.json', method: 'PUT', path: `${G}/devices/$DEVICE2`, body: {}, codes: [200, 201], lro: 'azure-async-operation', type: `${T}/products/deviceGroups/devices` },
  { operationId: 'Devices_Get', example: 'GetDevice.json', method: 'GET', path: `${G}/devices/$DEVICE2`, codes: [200], type: `${T}/products/deviceGroups/devices` },
  { operationId: 'Devices_ListByDeviceGroup', example: 'GetDevices.json', method: 'GET', path: `${G}/devices`, codes: [200], type: `${T}/products/deviceGroups/devices`, list: true },
  { operationId: 'Devices_GenerateCapabilityImage', example: 'PostGenerateDeviceCapabilityImage.json', method: 'POST', path: `${G}/devices/$DEVICE1/generateCapabilityImage`, body: { capabilities: ['ApplicationDevelopment'] }, codes: [200, 202], lro: 'location' },
  { operationId: 'Devices_Update', example: 'PatchDevice.json', method: 'PATCH', path: `${G}/devices/$DEVICE2`, body: { properties: { deviceGroupId: `${P}/deviceGroups/Development` } }, codes: [200, 202], lro: 'location', type: `${T}/products/deviceGroups/devices` },
  { operationId: 'Products_CountDevices', example: 'PostCountDevicesProduct.json', method: 'POST', path: `${P}/countDevices`, codes: [200] },
  { operationId: 'Catalogs_CountDevices', example: 'PostCountDevicesCatalog.json', method: 'POST', path: `${C}/countDevices`, codes: [200] },
  { operationId: 'Catalogs_ListDevices', example: 'PostListDevicesByCatalog.json', method: 'POST', path: `${C}/listDevices`, codes: [200], type: `${T}/products/deviceGroups/devices`, list: true },
  { operationId: 'Catalogs_ListDeviceGroups', example: 'PostListDeviceGroupsCatalog.json', method: 'POST', path: `${C}/listDeviceGroups`, body: { deviceGroupName: 'MyDeviceGroup1' }, codes: [200], type: `${T}/products/deviceGroups`, list: true },
  { operationId: 'Catalogs_ListDeviceInsights', example: 'PostListDeviceInsightsCatalog.json ($top 10)', method: 'POST', path: `${C}/listDeviceInsights?$top=10`, codes: [200], list: true },
  { operationId: 'Images_CreateOrUpdate', example: 'PutImage.json', method: 'PUT', path: `${C}/images/$IMAGE1_ID`, body: { properties: { image: '$IMAGE1' } }, codes: [200, 201], lro: 'azure-async-operation', type: `${T}/images` },
  { operationId: 'Images_Get', example: 'GetImage.json', method: 'GET', path: `${C}/images/$IMAGE1_ID`, codes: [200], type: `${T}/images` },
  { operationId: 'Images_ListByCatalog', example: 'GetImages.json', method: 'GET', path: `${C}/images`, codes: [200], type: `${T}/images`, list: true },
  { operationId: 'Catalogs_UploadImage', example: 'PostUploadImageCatalog.json', method: 'POST', path: `${C}/uploadImage`, body: { properties: { image: '$IMAGE2' } }, codes: [202], lro: 'location' },
  {
    operationId: 'Deployments_CreateOrUpdate',
    example: 'PutDeployment.json',
    method: 'PUT',
    path: `${G}/deployments/$DEPLOYMENT_ID`,
    body: { properties: { deploymentId: '$DEPLOYMENT_ID', deployedImages: [{ id: `${C}/images/$IMAGE1_ID`, properties: { imageId: '$IMAGE1_ID' } }] } },
    codes: [200, 201],
    lro: 'azure-async-operation',
    type: `${T}/products/deviceGroups/deployments`,
  },
  { operationId: 'Deployments_Get', example: 'GetDeployment.json', method: 'GET', path: `${G}/deployments/$DEPLOYMENT_ID`, codes: [200], type: `${T}/products/deviceGroups/deployments` },
  { operationId: 'Deployments_ListByDeviceGroup', example: 'GetDeployments.json', method: 'GET', path: `${G}/deployments`, codes: [200], type: `${T}/products/deviceGroups/deployments`, list: true },
  { operationId: 'Catalogs_ListDeployments', example: 'PostListDeploymentsByCatalog.json', method: 'POST', path: `${C}/listDeployments`, codes: [200], type: `${T}/products/deviceGroups/deployments`, list: true },
  { operationId: 'Deployments_Delete', example: 'DeleteDeployment.json', method: 'DELETE', path: `${G}/deployments/$DEPLOYMENT_ID`, codes: [200, 202, 204], lro: 'location' },
  { operationId: 'Images_Delete', example: 'DeleteImage.json', method: 'DELETE', path: `${C}/images/$IMAGE2_ID`, codes: [200, 202, 204], lro: 'location' },
  { operationId: 'Devices_Delete', example: 'DeleteDevice.json', method: 'DELETE', path: `${P}/deviceGroups/Development/devices/$DEVICE2`, codes: [200, 202, 204], lro: 'location' },
  { operationId: 'DeviceGroups_Delete', example: 'DeleteDeviceGroup.json', method: 'DELETE', path: `${P}/deviceGroups/Production`, codes: [200, 202, 204], lro: 'location' },
  { operationId: 'Products_Delete', example: 'DeleteProduct.json', method: 'DELETE', path: P, codes: [200, 202, 204], lro: 'location' },
  { operationId: 'Catalogs_Delete', example: 'DeleteCatalog.json', method: 'DELETE', path: C, codes: [200, 202, 204], lro: 'location' },
];
