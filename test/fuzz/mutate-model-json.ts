/**
 * Mutations of a tfjs model.json and its weight shards: values replaced by absurd ones (numbers,
 * long strings, huge arrays, deep nesting), keys dropped, layers repeated, manifest shapes, dtypes
 * and shard paths made hostile, shards cut short; plus text-level byte mutations.
 */
import { BYTE_MUTATORS } from './mutate-bytes';
import type { Prng } from './prng';

/** A model.json with its shards, by the path the manifest names them. */
export interface TfjsInput {
  readonly modelJson: string;
  readonly shards: Readonly<Record<string, Uint8Array>>;
}

type Container = Record<string, unknown> | unknown[];

/** Marks where raw text (too deep for JSON.stringify) is spliced in after serialization. */
const DEEP_MARK = '\u0001deep\u0001';

interface Slot {
  readonly parent: Container;
  readonly key: string | number;
}

/** Every (container, key) pair of the value, breadth first, at most `limit` of them. */
function slotsOf(root: unknown, limit = 5_000): Slot[] {
  const slots: Slot[] = [];
  const queue: unknown[] = [root];
  for (let k = 0; k < queue.length && slots.length < limit; k++) {
    const value = queue[k];
    if (Array.isArray(value)) {
      value.forEach((item, index) => {
        slots.push({ parent: value, key: index });
        queue.push(item);
      });
    } else if (typeof value === 'object' && value !== null) {
      const object = value as Record<string, unknown>;
      for (const key of Object.keys(object)) {
        slots.push({ parent: object, key });
        queue.push(object[key]);
      }
    }
  }
  return slots;
}

function get(slot: Slot): unknown {
  return Array.isArray(slot.parent)
    ? slot.parent[slot.key as number]
    : slot.parent[slot.key as string];
}

function set(slot: Slot, value: unknown): void {
  if (Array.isArray(slot.parent)) {
    slot.parent[slot.key as number] = value;
  } else {
    slot.parent[slot.key as string] = value;
  }
}

function remove(slot: Slot): void {
  if (Array.isArray(slot.parent)) {
    slot.parent.splice(slot.key as number, 1);
  } else {
    delete slot.parent[slot.key as string];
  }
}

/** A hostile replacement value. */
function absurdValue(random: Prng): unknown {
  switch (random.below(12)) {
    case 0:
      return random.pick([1e308, -1e308, 2 ** 62, -1, 0, 0.5, -0.0, 2 ** 31, 1e-320]);
    case 1:
      return 'x'.repeat(random.between(10_000, 200_000));
    case 2:
      return new Array<number>(random.between(10_000, 100_000)).fill(random.pick([1, 1e9, -1]));
    case 3:
      return DEEP_MARK;
    case 4:
      return null;
    case 5:
      return {};
    case 6:
      return [];
    case 7:
      return random.pick(['__proto__', 'constructor', 'toString', '../../etc/passwd', '']);
    case 8:
      return { class_name: random.pick(['BatchNormalization', 'Sequential', 'Model']), config: {} };
    case 9:
      return [random.pick([2 ** 30, 2 ** 53, 1e9, -8]), random.pick([2 ** 30, 1e9, 3])];
    case 10:
      return random.pick([true, false, '1e5', 'NaN']);
    default:
      // JSON.parse makes `__proto__` an own key, as a hostile file would.
      return JSON.parse('{"__proto__": {"polluted": true}, "name": "p"}') as unknown;
  }
}

/** Values that make the manifest hostile: absurd shapes, unknown dtypes, escaping paths. */
function manifestValue(key: string, random: Prng): unknown {
  switch (key) {
    case 'shape':
      return random.pick([
        [1e9, 1e9],
        [2 ** 28],
        [-1],
        [2 ** 53, 2],
        [0.5],
        [1e308],
        new Array<number>(64).fill(2),
      ]);
    case 'dtype':
      return random.pick(['string', 'complex64', 'float64', 'uint8', 'bool', 42]);
    case 'paths':
      return [random.pick(['../secret.bin', '/etc/passwd', 'C:\\x.bin', 'file:///x', 'a/../../b'])];
    default:
      return absurdValue(random);
  }
}

function mutateValue(root: unknown, random: Prng): string {
  const slots = slotsOf(root);
  if (slots.length === 0) {
    return 'replace-root';
  }
  const slot = random.pick(slots);
  switch (random.below(6)) {
    case 0:
      remove(slot);
      return 'delete-key';
    case 1: {
      // Repeat a layer or an array item thousands of times.
      if (Array.isArray(slot.parent)) {
        const item = get(slot);
        const times = random.between(100, 20_000);
        slot.parent.splice(slot.key as number, 0, ...new Array<unknown>(times).fill(item));
        return 'repeat-item';
      }
      set(slot, absurdValue(random));
      return 'absurd-value';
    }
    case 2: {
      const manifest = slots.filter((s) => ['shape', 'dtype', 'paths'].includes(String(s.key)));
      const target = manifest.length > 0 ? random.pick(manifest) : slot;
      set(target, manifestValue(String(target.key), random));
      return 'hostile-manifest';
    }
    default:
      set(slot, absurdValue(random));
      return 'absurd-value';
  }
}

/** Deepest JSON value mutated as a tree; deeper text (from {@link deepText}) is only mutated as bytes. */
const MAX_TREE_DEPTH = 64;

/** How deep the arrays and objects of JSON text nest, in one pass without recursion. */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let k = 0; k < text.length; k++) {
    const c = text[k];
    if (inString) {
      if (c === '\\') {
        k++;
      } else if (c === '"') {
        inString = false;
      }
    } else if (c === '"') {
      inString = true;
    } else if (c === '[' || c === '{') {
      deepest = Math.max(deepest, ++depth);
    } else if (c === ']' || c === '}') {
      depth--;
    }
  }
  return deepest;
}

/** A deeply nested array as text (JSON.stringify would recurse that deep). */
function deepText(random: Prng): string {
  const depth = random.pick([100, 1_000, 10_000, 100_000]);
  return random.chance(0.5)
    ? `${'['.repeat(depth)}${']'.repeat(depth)}`
    : `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
}

function mutateShards(shards: Readonly<Record<string, Uint8Array>>, random: Prng) {
  const out: Record<string, Uint8Array> = { ...shards };
  const names = Object.keys(out);
  if (names.length === 0) {
    return out;
  }
  const name = random.pick(names);
  const shard = out[name] ?? new Uint8Array(0);
  if (random.chance(0.3)) {
    delete out[name];
  } else {
    out[name] = random.pick(BYTE_MUTATORS).apply(shard, random);
  }
  return out;
}

/** Applies one to three mutations to the model.json (and sometimes its shards). */
export function mutateModelJson(
  seed: TfjsInput,
  random: Prng,
): { input: TfjsInput; steps: string[] } {
  const steps: string[] = [];
  let text = seed.modelJson;
  let shards = seed.shards;
  const rounds = random.between(1, 3);
  for (let round = 0; round < rounds; round++) {
    const choice = random.below(10);
    if (choice < 6) {
      let root: unknown;
      try {
        // Text a previous round made deep stays text: JSON.stringify would overflow the stack.
        root = nestingDepth(text) > MAX_TREE_DEPTH ? undefined : JSON.parse(text);
      } catch {
        root = undefined;
      }
      if (root === undefined) {
        continue;
      }
      steps.push(mutateValue(root, random));
      text = JSON.stringify(root).replaceAll(JSON.stringify(DEEP_MARK), () => deepText(random));
    } else if (choice < 8) {
      shards = mutateShards(shards, random);
      steps.push('shard');
    } else {
      const mutator = random.pick(BYTE_MUTATORS);
      text = new TextDecoder().decode(mutator.apply(new TextEncoder().encode(text), random));
      steps.push(`text-${mutator.name}`);
    }
  }
  return { input: { modelJson: text, shards }, steps };
}
