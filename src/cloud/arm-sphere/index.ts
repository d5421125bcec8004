// Azure Sphere's ARM API (Microsoft.AzureSphere 2024-04-01): the pipeline, the typed client, names and errors.
export { ArmPipeline, AZURE_SPHERE_API_VERSION, type ArmProgress, type ArmRequest, type ArmResponse, type LroRequest } from './arm-pipeline';
export { ArmSphereClient, catalogPath, type ArmSphereClientOptions, type ArmCallOptions, type ArmUploadOptions, type DeviceGroupRef, type DeviceGroupChangesArm } from './arm-sphere-client';
export { ArmOperationFailedError, ProviderNotRegisteredError, REGISTER_PROVIDER_HINT, armErrorFrom } from './arm-errors';
export * from './arm-names';
export type * from './arm-sphere-types';
