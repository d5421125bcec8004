// A small runtime schema for host ↔ webview messages, shared by both sides (plain TypeScript, no DOM, no Node, no
// vscode). A schema both checks a value and names its type (`Infer<typeof schema>`), so the contract is written once.
// Objects are strict: an unknown key is an error, so nothing the contract does not name (a token, say) can travel.
// Strings and arrays carry length limits, so a hostile or broken webview cannot make the host hold megabytes.

export class SchemaError extends Error {
  constructor(readonly path: string, problem: string) {
    super(`${path || 'message'}: ${problem}`);
    this.name = 'SchemaError';
  }
}

export interface Schema<T> {
  /** Returns `value` as a T, or throws SchemaError naming where and why it is not one. */
  parse(value: unknown, path?: string): T;
  /** What the schema expects, for error messages. */
  readonly description: string;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

function schema<T>(description: string, parse: (value: unknown, path: string) => T): Schema<T> {
  return { description, parse: (value, path = '') => parse(value, path) };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'string' ? 'a string' : typeof value === 'object' ? 'an object' : `${typeof value} ${String(value).slice(0, 20)}`;
}

/** Texts default to at most 4 KiB: longer ones are not something a wizard field holds. */
const DEFAULT_MAX_STRING = 4096;
const DEFAULT_MAX_ITEMS = 1000;

export function string(options: { max?: number; min?: number; pattern?: RegExp } = {}): Schema<string> {
  const max = options.max ?? DEFAULT_MAX_STRING;
  return schema(`a string of at most ${max} characters`, (value, path) => {
    if (typeof value !== 'string') throw new SchemaError(path, `expected a string, got ${describe(value)}`);
    if (value.length > max) throw new SchemaError(path, `longer than ${max} characters`);
    if (options.min !== undefined && value.length < options.min) throw new SchemaError(path, `shorter than ${options.min} characters`);
    if (options.pattern && !options.pattern.test(value)) throw new SchemaError(path, `does not match ${options.pattern}`);
    return value;
  });
}

export function number(options: { integer?: boolean; min?: number; max?: number } = {}): Schema<number> {
  return schema('a number', (value, path) => {
    if (typeof value !== 'number' || !Number.isFinite(value)) throw new SchemaError(path, `expected a finite number, got ${describe(value)}`);
    if (options.integer && !Number.isInteger(value)) throw new SchemaError(path, 'expected a whole number');
    if (options.min !== undefined && value < options.min) throw new SchemaError(path, `less than ${options.min}`);
    if (options.max !== undefined && value > options.max) throw new SchemaError(path, `more than ${options.max}`);
    return value;
  });
}

export function boolean(): Schema<boolean> {
  return schema('a boolean', (value, path) => {
    if (typeof value !== 'boolean') throw new SchemaError(path, `expected true or false, got ${describe(value)}`);
    return value;
  });
}

/** One of a fixed set of strings (or numbers). */
export function oneOf<const T extends readonly (string | number)[]>(values: T): Schema<T[number]> {
  return schema(`one of ${values.join(', ')}`, (value, path) => {
    if (!values.includes(value as T[number])) throw new SchemaError(path, `expected one of ${values.map((v) => JSON.stringify(v)).join(', ')}, got ${describe(value)}`);
    return value as T[number];
  });
}

export function array<T>(item: Schema<T>, options: { max?: number } = {}): Schema<T[]> {
  const max = options.max ?? DEFAULT_MAX_ITEMS;
  return schema(`an array of ${item.description}`, (value, path) => {
    if (!Array.isArray(value)) throw new SchemaError(path, `expected an array, got ${describe(value)}`);
    if (value.length > max) throw new SchemaError(path, `more than ${max} items`);
    return value.map((v, i) => item.parse(v, `${path}[${i}]`));
  });
}

/** `undefined` or a T. In an object shape this makes the key optional. */
export function optional<T>(inner: Schema<T>): Schema<T | undefined> & { readonly optional: true } {
  return { ...schema(`${inner.description} (optional)`, (value, path) => (value === undefined ? undefined : inner.parse(value, path))), optional: true };
}

export function nullable<T>(inner: Schema<T>): Schema<T | null> {
  return schema(`${inner.description} or null`, (value, path) => (value === null ? null : inner.parse(value, path)));
}

export type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends { optional: true } ? K : never }[keyof S];
type Simplify<T> = { [K in keyof T]: T[K] } & {};
export type ObjectOf<S extends Shape> = Simplify<
  { readonly [K in Exclude<keyof S, OptionalKeys<S>>]: Infer<S[K]> } & { readonly [K in OptionalKeys<S>]?: Infer<S[K]> }
>;

/** A plain object with exactly these keys (optional ones may be missing); any other key is an error. */
export function object<S extends Shape>(shape: S): Schema<ObjectOf<S>> {
  const keys = Object.keys(shape);
  return schema(`an object with ${keys.join(', ') || 'no keys'}`, (value, path) => {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SchemaError(path, `expected an object, got ${describe(value)}`);
    const proto = Object.getPrototypeOf(value);
    if (proto !== Object.prototype && proto !== null) throw new SchemaError(path, 'expected a plain object');
    const record = value as Record<string, unknown>;
    for (const key of Object.keys(record)) {
      if (!Object.hasOwn(shape, key)) throw new SchemaError(path, `unexpected key "${key.slice(0, 40)}"`);
    }
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      const parsed = shape[key].parse(record[key], path ? `${path}.${key}` : key);
      if (parsed !== undefined) out[key] = parsed;
    }
    return out as ObjectOf<S>;
  });
}

/** Messages are objects with a `type`: `{ type: K, ...shapes[K] }` for each K. */
export type MessageUnion<M extends Record<string, Shape>> = { [K in keyof M & string]: Simplify<{ readonly type: K } & ObjectOf<M[K]>> }[keyof M & string];

/**
 * A discriminated union of messages, one per key of `shapes`: `messages({ next: {}, pick: { id: string() } })` accepts
 * `{ type: 'next' }` and `{ type: 'pick', id: '…' }` and nothing else.
 */
export function messages<M extends Record<string, Shape>>(shapes: M): Schema<MessageUnion<M>> & { readonly types: readonly (keyof M & string)[] } {
  const variants = new Map<string, Schema<Record<string, unknown>>>();
  for (const [type, shape] of Object.entries(shapes)) variants.set(type, object({ type: oneOf([type]), ...shape }) as Schema<Record<string, unknown>>);
  const types = [...variants.keys()];
  return {
    types,
    ...schema(`a message of type ${types.join(' | ')}`, (value, path) => {
      if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SchemaError(path, `expected a message object, got ${describe(value)}`);
      const type = (value as { type?: unknown }).type;
      const variant = typeof type === 'string' && Object.hasOwn(shapes, type) ? variants.get(type) : undefined;
      if (!variant) throw new SchemaError(path ? `${path}.type` : 'type', `unknown message type ${JSON.stringify(type)?.slice(0, 40)}; expected one of ${types.join(', ')}`);
      return variant.parse(value, path) as MessageUnion<M>;
    }),
  };
}
