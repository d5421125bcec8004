// The point of no return: the user types the tenant's name. Only the exact name (surrounding spaces aside) confirms;
// anything else gets a reason specific enough to fix it, and nothing is sent.

/** Undefined when `typed` confirms `tenantName`, else the sentence to show. */
export function tenantNameMismatch(typed: string, tenantName: string): string | undefined {
  const entered = typed.trim();
  if (entered === tenantName.trim()) return undefined;
  const expected = `Type "${tenantName}" to confirm.`;
  if (!entered) return `Type the tenant's name to confirm. ${expected}`;
  if (entered.toLowerCase() === tenantName.trim().toLowerCase()) return `The name must match exactly, including capitals. ${expected} Nothing was sent.`;
  if (entered.replace(/\s+/g, ' ') === tenantName.trim().replace(/\s+/g, ' ')) return `The spacing differs from the tenant's name. ${expected} Nothing was sent.`;
  return `"${entered.length > 80 ? `${entered.slice(0, 80)}…` : entered}" is not the name of the tenant you are claiming into. ${expected} Nothing was sent.`;
}
