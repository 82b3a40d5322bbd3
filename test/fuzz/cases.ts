/**
 * Fuzz cases: what one input is, how iteration `i` of a run with seed `s` builds it (so a failure
 * is rebuilt from two numbers), and how a case is stored as a regression fixture.
 */
import { createHash } from 'node:crypto';
import { mutateModelJson, type TfjsInput } from './mutate-model-json';
import { deeplyNested, mutateOnnx } from './mutate-onnx';
import { mutateSource } from './mutate-source';
import { Prng } from './prng';
import { onnxSeeds, pythonSeeds, scriptSeeds, tfjsSeeds } from './seeds';

/** The analyses a case is fed to. */
export type FuzzTarget = 'onnx' | 'tfjs' | 'python' | 'typescript';

/** One fuzz input. */
export type FuzzCase =
  | { readonly target: 'onnx'; readonly bytes: Uint8Array }
  | { readonly target: 'tfjs'; readonly input: TfjsInput }
  | { readonly target: 'python' | 'typescript'; readonly text: string };

/** A case with how it was made, for the log. */
export interface GeneratedCase {
  readonly fuzzCase: FuzzCase;
  readonly steps: readonly string[];
}

/** Every target with its share of the iterations. */
const TARGET_WEIGHTS: readonly (readonly [FuzzTarget, number])[] = [
  ['onnx', 5],
  ['tfjs', 2],
  ['python', 2],
  ['typescript', 1],
];

/** The seeds, loaded once per process. */
interface Seeds {
  readonly onnx: Uint8Array[];
  readonly tfjs: TfjsInput[];
  readonly python: string[];
  readonly scripts: string[];
}

let seeds: Seeds | undefined;

function loadSeeds(): Seeds {
  seeds ??= { onnx: onnxSeeds(), tfjs: tfjsSeeds(), python: pythonSeeds(), scripts: scriptSeeds() };
  return seeds;
}

/** Every target the fuzzer knows. */
export const TARGETS: readonly FuzzTarget[] = TARGET_WEIGHTS.map(([target]) => target);

function pickTarget(random: Prng, targets: readonly FuzzTarget[]): FuzzTarget {
  const weights = TARGET_WEIGHTS.filter(([target]) => targets.includes(target));
  const total = weights.reduce((sum, [, weight]) => sum + weight, 0);
  let draw = random.below(total);
  for (const [target, weight] of weights) {
    if (draw < weight) {
      return target;
    }
    draw -= weight;
  }
  return 'onnx';
}

/**
 * Builds iteration `iteration` of the run seeded with `seed`, drawing only from `targets`;
 * deterministic for the same four arguments. `scale` (1 = full size) shrinks the long lines,
 * repeated lines and huge repeated fields the mutations add, keeping every other choice the same.
 */
export function generateCase(
  seed: number,
  iteration: number,
  targets: readonly FuzzTarget[] = TARGETS,
  scale = 1,
): GeneratedCase {
  const random = Prng.forIteration(seed, iteration);
  const all = loadSeeds();
  const target = pickTarget(random, targets);
  switch (target) {
    case 'onnx': {
      if (random.chance(0.03)) {
        const levels = random.pick([40, 101, 1_000, 10_000]);
        const op = random.pick(['If', 'Loop'] as const);
        return {
          fuzzCase: { target, bytes: deeplyNested(levels, op) },
          steps: [`nest-${op}-${levels}`],
        };
      }
      const { bytes, steps } = mutateOnnx(random.pick(all.onnx), random, scale);
      return { fuzzCase: { target, bytes }, steps };
    }
    case 'tfjs': {
      const { input, steps } = mutateModelJson(random.pick(all.tfjs), random);
      return { fuzzCase: { target, input }, steps };
    }
    case 'python': {
      const { text, steps } = mutateSource(random.pick(all.python), 'python', random, scale);
      return { fuzzCase: { target, text }, steps };
    }
    case 'typescript': {
      const { text, steps } = mutateSource(random.pick(all.scripts), 'script', random, scale);
      return { fuzzCase: { target, text }, steps };
    }
  }
}

/** File name extensions of stored cases (TypeScript as `.ts.txt` so no project compiles it). */
const EXTENSIONS: Readonly<Record<FuzzTarget, string>> = {
  onnx: '.onnx',
  tfjs: '.tfjs.json',
  python: '.py',
  typescript: '.ts.txt',
};

/** The bytes of a stored case: the model, the source, or model.json plus base64 shards. */
export function serializeCase(fuzzCase: FuzzCase): Uint8Array {
  switch (fuzzCase.target) {
    case 'onnx':
      return fuzzCase.bytes;
    case 'tfjs': {
      const shards = Object.fromEntries(
        Object.entries(fuzzCase.input.shards).map(([name, bytes]) => [
          name,
          Buffer.from(bytes).toString('base64'),
        ]),
      );
      return new TextEncoder().encode(
        JSON.stringify({ modelJson: fuzzCase.input.modelJson, shards }, null, 1),
      );
    }
    default:
      return new TextEncoder().encode(fuzzCase.text);
  }
}

/** The fixture file name of a case: a content hash plus the target's extension. */
export function fixtureName(fuzzCase: FuzzCase): string {
  const hash = createHash('sha256').update(serializeCase(fuzzCase)).digest('hex').slice(0, 16);
  return `${hash}${EXTENSIONS[fuzzCase.target]}`;
}

/** Reads a stored case back from its file name and bytes; undefined for other files. */
export function deserializeCase(name: string, bytes: Uint8Array): FuzzCase | undefined {
  if (name.endsWith(EXTENSIONS.onnx)) {
    return { target: 'onnx', bytes };
  }
  // Text as the file holds it: a lone surrogate written as UTF-8 replacement stays replaced.
  const text = new TextDecoder().decode(bytes);
  if (name.endsWith(EXTENSIONS.tfjs)) {
    const stored = JSON.parse(text) as { modelJson: string; shards: Record<string, string> };
    const shards = Object.fromEntries(
      Object.entries(stored.shards).map(([shard, base64]) => [
        shard,
        new Uint8Array(Buffer.from(base64, 'base64')),
      ]),
    );
    return { target: 'tfjs', input: { modelJson: stored.modelJson, shards } };
  }
  if (name.endsWith(EXTENSIONS.python)) {
    return { target: 'python', text };
  }
  return name.endsWith(EXTENSIONS.typescript) ? { target: 'typescript', text } : undefined;
}
