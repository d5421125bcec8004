// A tenant's or catalog's CA certificates as the wizard lists them: the ID that selects one (the thumbprint for a
// tenant, the serial number for a catalog), the thumbprint where there is one, subject, validity and status. The
// backends send a status (Active, Inactive, Expired, Revoked) and, mostly, the dates and subject; what is missing is
// read from the certificate itself. An expired CA is marked as not downloadable (the service returns no body for it,
// as learn.microsoft.com/azure-sphere/reference/azsphere-ca-certificate says; docs/cloud-api.md#security-service-api).
import type { FleetBackend, FleetCallOptions, FleetCertificate, FleetScope } from '../../cloud/backend/fleet-backend';

export type CaStatus = 'active' | 'inactive' | 'revoked' | 'expired' | 'not-yet-valid';

export interface CaCertificateRow {
  /** What selects it in the backend: the thumbprint (tenant) or the serial number (catalog). */
  readonly id: string;
  /** SHA-1, upper-case hex: what IoT Hub and DPS show for the uploaded certificate (when the service says it). */
  readonly thumbprint?: string;
  readonly subject: string;
  /** ISO 8601, or '' when the service said nothing and the certificate could not be read. */
  readonly notBefore: string;
  readonly notAfter: string;
  readonly status: CaStatus;
  /** "Active", "Revoked", … for people. */
  readonly statusLabel: string;
  /** False for an expired CA (the service no longer hands it out) and a revoked one (no hub should trust it). */
  readonly usable: boolean;
}

const LABELS: Record<CaStatus, string> = {
  active: 'Active',
  inactive: 'Inactive',
  revoked: 'Revoked',
  expired: 'Expired',
  'not-yet-valid': 'Not yet valid',
};

/** Rows for the list: the active CA first, then the rest by expiry, latest first. */
export function caCertificateRows(certificates: readonly FleetCertificate[], now: Date = new Date()): CaCertificateRow[] {
  const rows = certificates.map((c) => toRow(c, now));
  const rank = (r: CaCertificateRow) => (r.status === 'active' ? 0 : r.usable ? 1 : 2);
  return rows.sort((a, b) => rank(a) - rank(b) || b.notAfter.localeCompare(a.notAfter));
}

/**
 * The scope's CA certificates as rows. A tenant's list says no subject (and sometimes no dates): those are read from
 * the certificate itself, one request per usable CA (a tenant has one or two); an expired one keeps what the list said.
 */
export async function listCaCertificateRows(backend: FleetBackend, scope: FleetScope, options: FleetCallOptions = {}, now: Date = new Date()): Promise<CaCertificateRow[]> {
  const listed = await backend.listCaCertificates(scope, options);
  const completed = await Promise.all(
    listed.map(async (c) => {
      if (c.subject && c.notBefore && c.notAfter) return c;
      if (/^(revoked|expired)$/i.test(c.status)) return c;
      const cert = await backend.getCaCertificate(scope, { ...options, certificateId: c.id });
      return {
        ...c,
        thumbprint: c.thumbprint ?? cert.thumbprint,
        subject: c.subject ?? cert.subject,
        notBefore: c.notBefore ?? cert.notBefore.toISOString(),
        notAfter: c.notAfter ?? cert.notAfter.toISOString(),
      };
    }),
  );
  return caCertificateRows(completed, now);
}

function toRow(c: FleetCertificate, now: Date): CaCertificateRow {
  const notBefore = c.notBefore ? new Date(c.notBefore) : undefined;
  const notAfter = c.notAfter ? new Date(c.notAfter) : undefined;
  const validity = notAfter && now > notAfter ? 'expired' : notBefore && now < notBefore ? 'not_yet_valid' : 'valid';
  const said = c.status.toLowerCase();
  const status: CaStatus =
    said === 'revoked'
      ? 'revoked'
      : said === 'expired' || validity === 'expired'
        ? 'expired'
        : validity === 'not_yet_valid'
          ? 'not-yet-valid'
          : said === 'active'
            ? 'active'
            : 'inactive';
  return {
    id: c.id,
    ...(c.thumbprint && { thumbprint: c.thumbprint.toUpperCase() }),
    subject: c.subject ?? '',
    notBefore: notBefore?.toISOString() ?? '',
    notAfter: notAfter?.toISOString() ?? '',
    status,
    statusLabel: LABELS[status],
    usable: status === 'active' || status === 'inactive',
  };
}

/** The CA the wizard preselects: the active one, else the first usable one. */
export function defaultCaRow(rows: readonly CaCertificateRow[]): CaCertificateRow | undefined {
  return rows.find((r) => r.status === 'active') ?? rows.find((r) => r.usable);
}

/** How a row is named to people: its thumbprint where there is one, else its serial number. */
export function caRowName(row: Pick<CaCertificateRow, 'id' | 'thumbprint'>): string {
  return row.thumbprint ?? `serial ${row.id}`;
}
