/**
 * How many bytes each weight shard of a model.json can usefully hold: its group's weights, end to
 * end. Shards are read whole through `workspace.fs`, so a shard bigger than that holds nothing the
 * model reads and is refused before it is read (a model.json naming a multi-gigabyte file as a
 * shard must not load it into memory).
 */
import { manifestEntries } from '../../core/index';

/**
 * The byte budget of each shard path named in `modelJson`. A path whose group has weights of
 * unknown size (strings, complex numbers, absurd shapes) is absent: only the size limit applies.
 */
export function shardBudgets(modelJson: string): Map<string, number> {
  let json: unknown;
  try {
    json = JSON.parse(modelJson);
  } catch {
    return new Map();
  }
  const manifest =
    typeof json === 'object' && json !== null
      ? (json as Record<string, unknown>)['weightsManifest']
      : undefined;
  // The entries of one group share its `paths` array, so the array identifies the group.
  const groups = new Map<readonly string[], number | undefined>();
  for (const entry of manifestEntries(manifest)) {
    const total = groups.has(entry.paths) ? groups.get(entry.paths) : 0;
    const elements = entry.shape.reduce((a, b) => a * b, 1);
    const unknown = entry.offset === undefined || (entry.byteLength === 0 && elements !== 0);
    groups.set(entry.paths, unknown || total === undefined ? undefined : total + entry.byteLength);
  }
  const budgets = new Map<string, number>();
  const unknownPaths = new Set<string>();
  for (const [paths, total] of groups) {
    for (const path of paths) {
      if (total === undefined || !Number.isSafeInteger(total) || total < 0) {
        unknownPaths.add(path);
      } else {
        // A path listed by two groups may hold either group's bytes.
        budgets.set(path, Math.max(total, budgets.get(path) ?? 0));
      }
    }
  }
  for (const path of unknownPaths) {
    budgets.delete(path);
  }
  return budgets;
}
