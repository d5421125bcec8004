import * as assert from 'node:assert/strict';
import { combinedDisposable, Disposable, disposeAll, toDisposable } from '../../../src/common/lifecycle';

class Owner extends Disposable {
  own<T extends { dispose(): void }>(d: T): T {
    return this._register(d);
  }
}

describe('lifecycle', () => {
  it('disposes what it registered, last registered first', () => {
    const order: string[] = [];
    const owner = new Owner();
    owner.own(toDisposable(() => order.push('first')));
    owner.own(toDisposable(() => order.push('second')));
    owner.own(toDisposable(() => order.push('third')));
    owner.dispose();
    assert.deepEqual(order, ['third', 'second', 'first']);
    assert.equal(owner.isDisposed, true);
  });

  it('does nothing on a second dispose', () => {
    let count = 0;
    const owner = new Owner();
    owner.own(toDisposable(() => count++));
    owner.dispose();
    owner.dispose();
    assert.equal(count, 1);
  });

  it('disposes at once what is registered after dispose, so nothing leaks', () => {
    const owner = new Owner();
    owner.dispose();
    let disposed = false;
    const returned = owner.own(toDisposable(() => (disposed = true)));
    assert.equal(disposed, true);
    assert.ok(returned);
  });

  it('disposes nested owners through their parent', () => {
    const order: string[] = [];
    const parent = new Owner();
    const child = parent.own(new Owner());
    child.own(toDisposable(() => order.push('child resource')));
    parent.own(toDisposable(() => order.push('parent resource')));
    parent.dispose();
    assert.deepEqual(order, ['parent resource', 'child resource']);
    assert.equal(child.isDisposed, true);
  });

  it('keeps disposing after one throws, then reports the failure', () => {
    const order: string[] = [];
    const owner = new Owner();
    owner.own(toDisposable(() => order.push('a')));
    owner.own(toDisposable(() => {
      throw new Error('boom');
    }));
    owner.own(toDisposable(() => order.push('c')));
    assert.throws(() => owner.dispose(), /boom/);
    assert.deepEqual(order, ['c', 'a']);
  });

  it('reports several failures together', () => {
    const failing = (m: string) => toDisposable(() => {
      throw new Error(m);
    });
    assert.throws(() => disposeAll([failing('x'), failing('y')]), (err: unknown) => {
      assert.ok(err instanceof AggregateError);
      assert.deepEqual(err.errors.map((e: Error) => e.message), ['y', 'x']);
      return true;
    });
  });

  it('toDisposable runs its function once', () => {
    let count = 0;
    const d = toDisposable(() => count++);
    d.dispose();
    d.dispose();
    assert.equal(count, 1);
  });

  it('combinedDisposable disposes all of its parts, last first, once', () => {
    const order: string[] = [];
    const both = combinedDisposable(toDisposable(() => order.push('a')), toDisposable(() => order.push('b')));
    both.dispose();
    both.dispose();
    assert.deepEqual(order, ['b', 'a']);
  });
});
