// The tenant's CA certificates as the wizard lists them: thumbprint, subject, validity and status. The service
// sends IsActive / IsRevoked and (sometimes) dates; the dates are read from the certificate itself when missing, and
// an expired CA is marked as not downloadable (the service returns no body for it, as
// learn.microsoft.com/azure-sphere/reference/azsphere-ca-certificate says; docs/cloud-api.md#security-service-api).
import { parseCertificate, validityAt } from '../../cloud/certificates';
import type { CaCertificateEntry } from '../../cloud/sphere-api-types';

export type CaStatus = 'active' | 'inactive' | 'revoked' | 'expired' | 'not-yet-valid';

export interface CaCertificateRow {
  /** SHA-1, upper-case hex: what IoT Hub and DPS show for the uploaded certificate. */
  readonly thumbprint: string;
  readonly subject: string;
  /** ISO 8601. */
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
export function caCertificateRows(entries: readonly CaCertificateEntry[], now: Date = new Date()): CaCertificateRow[] {
  const rows = entries.map((entry) => toRow(entry, now));
  const rank = (r: CaCertificateRow) => (r.status === 'active' ? 0 : r.usable ? 1 : 2);
  return rows.sort((a, b) => rank(a) - rank(b) || b.notAfter.localeCompare(a.notAfter));
}

function toRow(entry: CaCertificateEntry, now: Date): CaCertificateRow {
  const cert = parseCertificate(entry.Certificate, `The tenant CA certificate ${entry.Thumbprint}`);
  const notBefore = entry.StartDate ? new Date(entry.StartDate) : cert.notBefore;
  const notAfter = entry.EndDate ? new Date(entry.EndDate) : cert.notAfter;
  const validity = validityAt({ ...cert, notBefore, notAfter }, now);
  const status: CaStatus = entry.IsRevoked
    ? 'revoked'
    : validity === 'expired'
      ? 'expired'
      : validity === 'not_yet_valid'
        ? 'not-yet-valid'
        : entry.IsActive
          ? 'active'
          : 'inactive';
  return {
    thumbprint: (entry.Thumbprint || cert.thumbprint).toUpperCase(),
    subject: cert.subject,
    notBefore: notBefore.toISOString(),
    notAfter: notAfter.toISOString(),
    status,
    statusLabel: LABELS[status],
    usable: status === 'active' || status === 'inactive',
  };
}

/** The CA the wizard preselects: the active one, else the first usable one. */
export function defaultCaRow(rows: readonly CaCertificateRow[]): CaCertificateRow | undefined {
  return rows.find((r) => r.status === 'active') ?? rows.find((r) => r.usable);
}
