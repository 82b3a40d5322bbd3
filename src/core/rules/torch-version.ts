/**
 * What a pinned torch version (`1.13.1`, `>=2.1`, `torch>=1.12,<2.0`) says about API availability,
 * so rules offer only fixes the project's torch supports. Unknown or unbounded pins answer false.
 */
import type { VersionEvidence } from '../model';

type Version = readonly [number, number];

/** The lowest and highest (inclusive or exclusive) versions a pin allows, major.minor only. */
interface Bounds {
  readonly lowest?: Version;
  readonly highest?: { readonly version: Version; readonly inclusive: boolean };
}

/** True when every version the pin allows is at least `major.minor`. */
export function torchAtLeast(
  pin: VersionEvidence | undefined,
  major: number,
  minor: number,
): boolean {
  const lowest = boundsOf(pin?.version).lowest;
  return lowest !== undefined && compare(lowest, [major, minor]) >= 0;
}

/** True when every version the pin allows is below `major.minor`. */
export function torchBelow(
  pin: VersionEvidence | undefined,
  major: number,
  minor: number,
): boolean {
  const highest = boundsOf(pin?.version).highest;
  if (!highest) {
    return false;
  }
  const order = compare(highest.version, [major, minor]);
  // `<2.0` allows nothing from 2.0 on; `<=2.0` allows 2.0.x.
  return highest.inclusive ? order < 0 : order <= 0;
}

function boundsOf(pin: string | undefined): Bounds {
  let lowest: Version | undefined;
  let highest: Bounds['highest'];
  for (const part of (pin ?? '').split(',')) {
    const match = /^\s*(?:torch\s*)?(==|~=|>=|>|<=|<|)\s*v?(\d+)\.(\d+)/.exec(part);
    if (!match) {
      continue;
    }
    const version: Version = [Number(match[2]), Number(match[3])];
    const op = match[1];
    if (op === '' || op === '==' || op === '~=' || op === '>=' || op === '>') {
      lowest = version;
    }
    if (op === '' || op === '==' || op === '<=') {
      // A bare or `==` pin allows that major.minor only.
      highest = { version, inclusive: true };
    } else if (op === '<') {
      highest = { version, inclusive: false };
    }
  }
  return { ...(lowest ? { lowest } : {}), ...(highest ? { highest } : {}) };
}

function compare(a: Version, b: Version): number {
  return a[0] - b[0] || a[1] - b[1];
}
