// The point of no return: the user types the tenant's (or catalog's) name. Only the exact name (surrounding spaces
// aside) confirms; anything else gets a reason specific enough to fix it, and nothing is sent.

/** Undefined when `typed` confirms `name`, else the sentence to show. `what` names the kind of place being claimed into. */
export function tenantNameMismatch(typed: string, name: string, what: 'tenant' | 'catalog' = 'tenant'): string | undefined {
  const entered = typed.trim();
  if (entered === name.trim()) return undefined;
  const expected = `Type "${name}" to confirm.`;
  if (!entered) return `Type the ${what}'s name to confirm. ${expected}`;
  if (entered.toLowerCase() === name.trim().toLowerCase()) return `The name must match exactly, including capitals. ${expected} Nothing was sent.`;
  if (entered.replace(/\s+/g, ' ') === name.trim().replace(/\s+/g, ' ')) return `The spacing differs from the ${what}'s name. ${expected} Nothing was sent.`;
  return `"${entered.length > 80 ? `${entered.slice(0, 80)}…` : entered}" is not the name of the ${what} you are claiming into. ${expected} Nothing was sent.`;
}
