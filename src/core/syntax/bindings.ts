/**
 * Names bound exactly once in a file (Python module constants, JavaScript `const` and never
 * reassigned `let`/`var`): only those can be folded without knowing the order code runs in.
 */

/** Collects bindings and forgets every name bound more than once or assigned again. */
export class SingleBindings<T> {
  private readonly bound = new Map<string, T>();
  private readonly ambiguous = new Set<string>();

  /** Records `name = value`; a second binding of the same name makes it ambiguous. */
  bind(name: string, value: T): void {
    if (this.bound.has(name)) {
      this.ambiguous.add(name);
    }
    this.bound.set(name, value);
  }

  /** Records an assignment to `name` elsewhere, which makes its value ambiguous. */
  reassign(name: string): void {
    this.ambiguous.add(name);
  }

  /** The names bound once and never reassigned. */
  result(): ReadonlyMap<string, T> {
    const once = new Map(this.bound);
    for (const name of this.ambiguous) {
      once.delete(name);
    }
    return once;
  }
}
