// Tenant administration: give a user a role or take one away (Administrator, Contributor, Reader — the service
// decides who may) and rename the tenant — a legacy tenant's own; and download the error report of a tenant or a
// catalog as CSV (the CLI's columns).
import { writeFile } from 'node:fs/promises';
import * as vscode from 'vscode';
import { insightsToCsv } from '../cloud/error-report-csv';
import { SPHERE_ROLES, type Principal, type SphereRole, type Tenant } from '../cloud/sphere-api-types';
import { requireTenantName } from '../cloud/validate';
import { CancelledError, UserFacingError } from '../common/errors';
import type { FleetDeps } from './fleet-deps';
import { fleetArg, scopeOf, tenantOf } from './fleet-target';

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

async function pickRole(title: string, roles: readonly SphereRole[], given: unknown): Promise<SphereRole> {
  if (given !== undefined) {
    if (!roles.includes(given as SphereRole)) throw new UserFacingError(`"${String(given)}" is not a role here; choose ${roles.join(', ')}.`);
    return given as SphereRole;
  }
  const picked = await vscode.window.showQuickPick([...roles], { title });
  if (!picked) throw new CancelledError();
  return picked as SphereRole;
}

export async function addUserRole(deps: FleetDeps, arg: unknown): Promise<Principal> {
  const target = fleetArg(arg);
  const input = arg as { email?: string; role?: string } | undefined;
  const tenant = await tenantOf(deps.tenants, target, 'Adding a user role');
  let email = input?.email;
  if (email === undefined) {
    email = await vscode.window.showInputBox({
      title: `Add a role in ${tenant.name}`,
      prompt: 'The user’s work or school email address (the user is registered with Azure Sphere if need be).',
      ignoreFocusOut: true,
      validateInput: (v) => (EMAIL.test(v.trim()) ? undefined : `"${v}" is not an email address.`),
    });
    if (email === undefined) throw new CancelledError();
  }
  email = email.trim();
  if (!EMAIL.test(email)) throw new UserFacingError(`"${email}" is not an email address. Nothing was changed.`);
  const role = await pickRole(`Role of ${email} in ${tenant.name}`, SPHERE_ROLES, input?.role);
  const principal = await (await deps.tenants.apiClient()).addRole(tenant.id, email, role);
  deps.fleet.changed({ scope: tenant, part: 'users' });
  void vscode.window.showInformationMessage(`${email} is now ${role === 'Administrator' ? 'an' : 'a'} ${role} in ${tenant.name}.`);
  return principal;
}

export const REMOVE = 'Remove';

export async function removeUserRole(deps: FleetDeps, arg: unknown): Promise<Principal> {
  const target = fleetArg(arg);
  const user = (arg as { user?: Principal } | undefined)?.user;
  const given = (arg as { role?: string } | undefined)?.role;
  const tenant = await tenantOf(deps.tenants, target, 'Removing a user role');
  if (!user) throw new UserFacingError('Run Remove Role on a user under the tenant’s Users.');
  const roles = user.Roles.filter((r): r is SphereRole => (SPHERE_ROLES as readonly string[]).includes(r));
  if (roles.length === 0) throw new UserFacingError(`${user.Mail} holds no role in ${tenant.name}.`);
  const role = await pickRole(`Remove which role of ${user.Mail}?`, roles, given);
  const answer = await vscode.window.showWarningMessage(`Remove the ${role} role of ${user.Mail} in ${tenant.name}?`, { modal: true }, REMOVE);
  if (answer !== REMOVE) throw new CancelledError();
  const principal = await (await deps.tenants.apiClient()).removeRole(tenant.id, user.Mail, role);
  deps.fleet.changed({ scope: tenant, part: 'users' });
  return principal;
}

export async function renameTenant(deps: FleetDeps, arg: unknown): Promise<Tenant> {
  const target = fleetArg(arg);
  const tenant = await tenantOf(deps.tenants, target, 'Renaming');
  let name = (arg as { name?: string } | undefined)?.name;
  if (name === undefined) {
    name = await vscode.window.showInputBox({
      title: `Rename tenant ${tenant.name}`,
      value: tenant.name,
      ignoreFocusOut: true,
      validateInput: (v) => {
        try {
          requireTenantName(v);
          return undefined;
        } catch (err) {
          return (err as Error).message;
        }
      },
    });
    if (name === undefined) throw new CancelledError();
  }
  const renamed = await (await deps.tenants.apiClient()).renameTenant(tenant.id, name);
  deps.tenants.refresh();
  return renamed;
}

export async function downloadErrorReport(deps: FleetDeps, arg: unknown): Promise<string | undefined> {
  const target = fleetArg(arg);
  const scope = await scopeOf(deps.tenants, target, 'The error report of which tenant or catalog?');
  const backend = await deps.fleet.backend(scope);
  const insights = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Reading the error report of ${scope.name}` }, () => backend.listDeviceInsights(scope));
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri;
  const fileName = `error-report-${scope.name.replace(/[^A-Za-z0-9]+/g, '-')}.csv`;
  const uri = await vscode.window.showSaveDialog({ title: `Save the error report of ${scope.name}`, defaultUri: folder ? vscode.Uri.joinPath(folder, fileName) : undefined, filters: { CSV: ['csv'] } });
  if (!uri) throw new CancelledError();
  await writeFile(uri.fsPath, insightsToCsv(insights), 'utf8');
  void vscode.window.showInformationMessage(`Saved ${insights.length} error report event${insights.length === 1 ? '' : 's'} of ${scope.name} to ${uri.fsPath}.`);
  return uri.fsPath;
}
