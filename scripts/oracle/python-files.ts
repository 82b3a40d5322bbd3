/**
 * The `.py` files under a folder in a stable order, as the `ast` oracle lists them.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

/** Python files under `root`, depth first in name order; symbolic links are not followed, as Python's os.walk in the oracle does not follow them. */
export function* pythonFiles(root: string): Generator<string> {
  const entries = readdirSync(root, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(root, entry.name);
    if (entry.isDirectory()) {
      yield* pythonFiles(path);
    } else if (entry.isFile() && entry.name.endsWith('.py')) {
      yield path;
    }
  }
}
