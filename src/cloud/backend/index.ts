// The one client model the views use for a fleet, and its two implementations (legacy tenants, ARM catalogs).
export * from './fleet-backend';
export { LegacyFleetBackend } from './legacy-fleet-backend';
export { ArmFleetBackend } from './arm-fleet-backend';
