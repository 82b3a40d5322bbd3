/**
 * Mutations of Python and TypeScript sources: token deletions and insertions, unbalanced brackets,
 * very long lines, deep nesting (brackets, calls, indentation), repeated lines and odd characters.
 */
import type { Prng } from './prng';

/** Which grammar family the text is written in (nesting is spelled differently). */
export type SourceFamily = 'python' | 'script';

const TOKEN = /[A-Za-z_]\w*|\d+(?:\.\d+)?(?:e-?\d+)?|\s+|[^\w\s]/g;

const INSERTS = [
  '(',
  ')',
  '[',
  ']',
  '{',
  '}',
  ':',
  ',',
  '=',
  '"',
  "'",
  '"""',
  '`',
  '${',
  '\\',
  '#',
  '//',
  '/*',
  '\n',
  '\t',
  '    ',
  'nn.BatchNorm2d(',
  'tf.layers.batchNormalization({',
  'eps=',
  'momentum=',
  'batch_size=',
  '-',
  '1e-5',
  '0',
  '\u0000',
  '\ufffd',
  '\u{1d539}',
  '\u2028',
  '\ufeff',
  '\r',
  'lambda',
  'def',
  'class',
  'import',
  'from',
];

function tokens(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

function deleteTokens(text: string, random: Prng): string {
  const list = tokens(text);
  const count = random.between(1, 6);
  for (let k = 0; k < count && list.length > 0; k++) {
    list.splice(random.below(list.length), random.chance(0.8) ? 1 : random.between(2, 20));
  }
  return list.join('');
}

function insertTokens(text: string, random: Prng): string {
  const list = tokens(text);
  const count = random.between(1, 6);
  for (let k = 0; k < count; k++) {
    const token =
      random.chance(0.5) || list.length === 0 ? random.pick(INSERTS) : random.pick(list);
    list.splice(random.below(list.length + 1), 0, token);
  }
  return list.join('');
}

function insertAt(text: string, random: Prng, inserted: string): string {
  const at = random.below(text.length + 1);
  return text.slice(0, at) + inserted + text.slice(at);
}

function unbalanced(text: string, random: Prng): string {
  const brackets = random.pick(['(', ')', '[', ']', '{', '}']);
  return insertAt(text, random, brackets.repeat(random.between(1, 200)));
}

function longLine(text: string, random: Prng, family: SourceFamily, scale: number): string {
  // Up to 100k characters: a megabyte line mostly measures tree-sitter's raw parse speed.
  const length = Math.round(random.pick([1_000, 10_000, 100_000]) * scale);
  const layer = family === 'python' ? 'nn.BatchNorm2d(8),' : 'tf.layers.batchNormalization(),';
  const unit = random.pick(['x', '1,', 'a+', layer, ' ']);
  // A line of layer calls is held to 10k characters (~300 layers): 100k would be ~3,000 layer
  // sites, which measures the per-layer analysis (linear, ~0.2 ms a layer) against the 1 s limit
  // rather than how a long line is handled.
  const body = unit.repeat(Math.ceil((unit === layer ? length / 10 : length) / unit.length));
  const line = random.pick([
    body,
    `x = [${body}]`,
    `y = "${body}"`,
    family === 'python' ? `bn = nn.BatchNorm2d(${body})` : `const bn = tf.batchNorm(${body});`,
  ]);
  return insertAt(text, random, `\n${line}\n`);
}

function deepNesting(text: string, random: Prng, family: SourceFamily): string {
  const depth = random.pick([100, 1_000, 5_000, 10_000]);
  let nested: string;
  switch (random.below(4)) {
    case 0:
      nested = `x = ${'('.repeat(depth)}1${')'.repeat(depth)}`;
      break;
    case 1:
      nested =
        family === 'python'
          ? `m = ${'nn.Sequential('.repeat(depth)}nn.BatchNorm2d(8)${')'.repeat(depth)}`
          : `const m = ${'f('.repeat(depth)}tf.layers.batchNormalization({ axis: 1 })${')'.repeat(depth)};`;
      break;
    case 2: {
      // Indentation (Python) or braces (scripts) nested `depth` levels, capped to keep size sane.
      const levels = Math.min(depth, 1_000);
      const lines: string[] = [];
      for (let k = 0; k < levels; k++) {
        lines.push(family === 'python' ? `${' '.repeat(k)}if x:` : 'if (x) {');
      }
      lines.push(
        family === 'python'
          ? `${' '.repeat(levels)}bn = nn.BatchNorm2d(8, eps=0)`
          : `tf.layers.batchNormalization({ epsilon: 0 });${'}'.repeat(levels)}`,
      );
      nested = lines.join('\n');
      break;
    }
    default:
      nested = `x = ${'['.repeat(depth)}${']'.repeat(random.below(depth + 1))}`;
  }
  return insertAt(text, random, `\n${nested}\n`);
}

/** Most characters {@link repeatLines} adds (at scale 1), so a repeated long line stays sane. */
const REPEAT_BUDGET = 200_000;

/** Beyond this length (at scale 1) the size-growing mutations are skipped. */
const GROWTH_LIMIT = 200_000;

function repeatLines(text: string, random: Prng, _family: SourceFamily, scale: number): string {
  const lines = text.split('\n');
  const at = random.below(lines.length);
  const line = lines[at] ?? '';
  // Repeating a 100k-character line (from long-line) 2,000 times would build a 200M-character
  // text whose tokenizing alone exhausts the heap: the generator's bug, not the analyses'.
  const times = Math.min(
    Math.max(1, Math.round(random.between(10, 2_000) * scale)),
    Math.max(1, Math.floor((REPEAT_BUDGET * scale) / (line.length + 1))),
  );
  lines.splice(at, 0, ...new Array<string>(times).fill(line));
  return lines.join('\n');
}

function cutOff(text: string, random: Prng): string {
  return text.slice(0, random.below(text.length + 1));
}

/** A mutation; `scale` shrinks what the size-growing ones add (1 is full size). */
type SourceMutation = (text: string, random: Prng, family: SourceFamily, scale: number) => string;

const SOURCE_MUTATORS: readonly (readonly [string, SourceMutation])[] = [
  ['delete-tokens', deleteTokens],
  ['insert-tokens', insertTokens],
  ['unbalanced-brackets', unbalanced],
  ['long-line', longLine],
  ['deep-nesting', deepNesting],
  ['repeat-lines', repeatLines],
  ['cut-off', cutOff],
];

/**
 * Applies one to four mutations to a source text; `scale` (1 = full size) shrinks the long lines
 * and repeated lines it adds, drawing the same random numbers whatever the scale.
 */
export function mutateSource(
  seed: string,
  family: SourceFamily,
  random: Prng,
  scale = 1,
): { text: string; steps: string[] } {
  let text = seed;
  const steps: string[] = [];
  const rounds = random.between(1, 4);
  for (let round = 0; round < rounds; round++) {
    const [name, mutate] = random.pick(SOURCE_MUTATORS);
    // Size-growing mutations once per input: stacking them only tests string concatenation.
    if (
      (name === 'long-line' || name === 'deep-nesting' || name === 'repeat-lines') &&
      text.length > GROWTH_LIMIT * scale
    ) {
      continue;
    }
    text = mutate(text, random, family, scale);
    steps.push(name);
  }
  return { text, steps };
}
