// The part of IoT Hub's query language the emulator understands
// (learn.microsoft.com/azure/iot-hub/iot-hub-devguide-query-language): `SELECT * FROM <collection>`, optionally
// `WHERE <property> = <value> [AND …]` with a dotted property path and a quoted string, a number, true or false —
// enough for listing devices, and for the Azure IoT tools' `WHERE capabilities.iotEdge = true`.

export interface Condition {
  path: string[];
  value: string | number | boolean;
}

const SELECT = /^\s*SELECT\s+\*\s+FROM\s+([A-Za-z]+)\s*(?:WHERE\s+(.+?))?\s*$/is;
const CONDITION = /^\s*([A-Za-z_$][\w$]*(?:\.[A-Za-z_$][\w$]*)*)\s*=\s*('(?:[^']|'')*'|"[^"]*"|true|false|-?\d+(?:\.\d+)?)\s*$/i;

/** The conditions of a query over `collection`, or a sentence saying what the emulator cannot run. */
export function parseSelectAll(query: string, collection: string): Condition[] | string {
  const unsupported = `the emulator runs only SELECT * FROM ${collection} [WHERE <property> = <value> [AND …]]`;
  const select = SELECT.exec(query);
  if (!select || select[1]!.toLowerCase() !== collection.toLowerCase()) return unsupported;
  if (!select[2]) return [];
  const conditions: Condition[] = [];
  for (const part of select[2].split(/\s+AND\s+/i)) {
    const m = CONDITION.exec(part);
    if (!m) return unsupported;
    const raw = m[2]!;
    let value: Condition['value'];
    if (raw.startsWith("'")) value = raw.slice(1, -1).replace(/''/g, "'");
    else if (raw.startsWith('"')) value = raw.slice(1, -1);
    else if (/^(true|false)$/i.test(raw)) value = raw.toLowerCase() === 'true';
    else value = Number(raw);
    conditions.push({ path: m[1]!.split('.'), value });
  }
  return conditions;
}

/** Whether `item` meets every condition; property names are compared without case, as the hub's query does. */
export function matches(item: Record<string, unknown>, conditions: readonly Condition[]): boolean {
  return conditions.every((c) => {
    let node: unknown = item;
    for (const step of c.path) {
      if (typeof node !== 'object' || node === null) return false;
      const key = Object.keys(node).find((k) => k.toLowerCase() === step.toLowerCase());
      node = key === undefined ? undefined : (node as Record<string, unknown>)[key];
    }
    return node === c.value;
  });
}
