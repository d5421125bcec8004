import * as assert from 'node:assert/strict';
import { defineContract, parseFromHost, parseFromWebview, persistMessage, readyMessage } from '../../../src/views/shared/contract';
import { array, boolean, nullable, number, object, oneOf, optional, SchemaError, string } from '../../../src/views/shared/schema';

const contract = defineContract({
  viewType: 'test.panel',
  toWebview: { show: { title: string({ max: 20 }), count: number({ integer: true, min: 0 }) } },
  toHost: { pick: { id: string({ pattern: /^[a-z]+$/ }) }, next: {} },
  state: object({ step: oneOf(['one', 'two']), id: optional(string()) }),
});

describe('webview message schemas', () => {
  it('accepts exactly the shape and names where a value is wrong', () => {
    const item = object({ name: string(), tags: array(string(), { max: 2 }), done: boolean(), note: nullable(string()), size: optional(number()) });
    assert.deepEqual(item.parse({ name: 'a', tags: ['x'], done: false, note: null }), { name: 'a', tags: ['x'], done: false, note: null });
    assert.throws(() => item.parse({ name: 'a', tags: ['x', 1], done: false, note: null }), (e: SchemaError) => e.path === 'tags[1]' && /expected a string/.test(e.message));
    assert.throws(() => item.parse({ name: 'a', tags: ['x', 'y', 'z'], done: false, note: null }), /more than 2 items/);
    assert.throws(() => item.parse({ name: 'a', tags: [], done: 'yes', note: null }), /done: expected true or false/);
    assert.throws(() => item.parse({ name: 'a', tags: [], done: true }), /note: expected a string/);
  });

  it('refuses unknown keys, so a field the contract does not name (a token) cannot travel', () => {
    const account = object({ username: string() });
    assert.throws(() => account.parse({ username: 'avery@contoso.com', accessToken: 'eyJ…' }), /unexpected key "accessToken"/);
  });

  it('refuses non-plain objects and over-long strings', () => {
    assert.throws(() => object({}).parse(new Date()), /plain object/);
    assert.throws(() => object({}).parse([]), /expected an object, got an array/);
    assert.throws(() => string().parse('x'.repeat(4097)), /longer than 4096/);
    assert.throws(() => number().parse(Number.NaN), /finite number/);
  });
});

describe('webview message contract', () => {
  it('reserves ready and persist', () => {
    assert.throws(() => defineContract({ viewType: 'x', toWebview: {}, toHost: { ready: {} }, state: string() }), /"ready" is a reserved message type/);
    assert.throws(() => defineContract({ viewType: 'x', toWebview: { persist: {} }, toHost: {}, state: string() }), /"persist" is a reserved/);
  });

  it('host side: validates requests, ready state, and rejects everything else without throwing', () => {
    assert.deepEqual(parseFromWebview(contract, { type: 'pick', id: 'abc' }), { kind: 'message', message: { type: 'pick', id: 'abc' } });
    assert.deepEqual(parseFromWebview(contract, { type: 'next' }), { kind: 'message', message: { type: 'next' } });
    assert.deepEqual(parseFromWebview(contract, readyMessage({ step: 'two', id: 'q' })), { kind: 'ready', state: { step: 'two', id: 'q' } });
    assert.deepEqual(parseFromWebview(contract, readyMessage(undefined)), { kind: 'ready', state: undefined });
    for (const bad of [null, 'pick', 42, [], { type: 'pick' }, { type: 'pick', id: 'ABC' }, { type: 'next', extra: 1 }, { type: 'delete' }, { type: 'ready', state: {}, token: 'x' }]) {
      const parsed = parseFromWebview(contract, bad);
      assert.equal(parsed.kind, 'invalid', `${JSON.stringify(bad)} should be invalid`);
    }
    assert.match((parseFromWebview(contract, { type: 'delete' }) as { error: string }).error, /unknown message type "delete"; expected one of pick, next/);
  });

  it('host side: a kept state that no longer fits is dropped, with the reason, and the webview is still ready', () => {
    const parsed = parseFromWebview(contract, { type: 'ready', state: { step: 'three' } });
    assert.equal(parsed.kind, 'ready');
    assert.equal(parsed.kind === 'ready' && parsed.state, undefined);
    assert.match((parsed as { stateError?: string }).stateError ?? '', /ready\.state\.step: expected one of "one", "two"/);
  });

  it('webview side: validates the host\'s messages and persist', () => {
    assert.deepEqual(parseFromHost(contract, { type: 'show', title: 'Hi', count: 2 }), { kind: 'message', message: { type: 'show', title: 'Hi', count: 2 } });
    assert.deepEqual(parseFromHost(contract, persistMessage({ step: 'one' })), { kind: 'persist', state: { step: 'one' } });
    assert.equal(parseFromHost(contract, { type: 'show', title: 'Hi', count: -1 }).kind, 'invalid');
    assert.equal(parseFromHost(contract, { type: 'persist', state: { step: 'nine' } }).kind, 'invalid');
    assert.equal(parseFromHost(contract, { type: 'pick', id: 'abc' }).kind, 'invalid', 'a request type is not a host message');
  });
});
