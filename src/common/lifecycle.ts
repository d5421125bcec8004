// Lifecycle primitives shared by every provider, panel and service (after VS Code core's own lifecycle.ts).
// Plain TypeScript: vscode.Disposable satisfies IDisposable structurally, so the device and cloud layers use it too.

export interface IDisposable {
  dispose(): void;
}

export function toDisposable(dispose: () => void): IDisposable {
  let done = false;
  return {
    dispose() {
      if (!done) {
        done = true;
        dispose();
      }
    },
  };
}

/**
 * Disposes in reverse order of registration (what was built last depends on what was built first),
 * keeps going when one throws, and rethrows every failure at the end.
 */
export function disposeAll(disposables: Iterable<IDisposable>): void {
  const errors: unknown[] = [];
  for (const d of [...disposables].reverse()) {
    try {
      d.dispose();
    } catch (err) {
      errors.push(err);
    }
  }
  if (errors.length === 1) {
    throw errors[0];
  }
  if (errors.length > 1) {
    throw new AggregateError(errors, `${errors.length} errors while disposing`);
  }
}

export abstract class Disposable implements IDisposable {
  private _disposables: IDisposable[] = [];
  private _isDisposed = false;

  get isDisposed(): boolean {
    return this._isDisposed;
  }

  /** Ties `value` to this object's life. Registering on a disposed object disposes `value` at once, so nothing leaks. */
  protected _register<T extends IDisposable>(value: T): T {
    if (this._isDisposed) {
      value.dispose();
    } else {
      this._disposables.push(value);
    }
    return value;
  }

  dispose(): void {
    if (this._isDisposed) {
      return;
    }
    this._isDisposed = true;
    const owned = this._disposables;
    this._disposables = [];
    disposeAll(owned);
  }
}

/** One disposable that disposes all of `disposables` (last first). */
export function combinedDisposable(...disposables: IDisposable[]): IDisposable {
  return toDisposable(() => disposeAll(disposables));
}
