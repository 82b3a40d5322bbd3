/**
 * Compares NormLens's tfjs extraction (sources and model.json) with the TypeScript-compiler oracle
 * on a tree of files and prints recall and precision, with and without the kind.
 * Usage: npx tsx scripts/oracle/tfjs-compare.ts ROOT
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { GrammarName } from '../../src/core/syntax/parsers';
import { ParserFactory, WASM_FILES } from '../../src/core/syntax/parsers';
import { analyzeTfjsModelJson, extractTfjs } from '../../src/core/tfjs/index';
import { modelSites, sourceSites, SOURCE_KINDS, walk, type OracleSite } from './tfjs-oracle';

const require = createRequire(__filename);

const GRAMMAR: Readonly<Record<string, GrammarName>> = {
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.ts': 'typescript',
  '.tsx': 'tsx',
};

const factory = new ParserFactory((fileName) => {
  const pkg =
    fileName === WASM_FILES.runtime
      ? 'web-tree-sitter'
      : fileName === WASM_FILES.javascript
        ? 'tree-sitter-javascript'
        : 'tree-sitter-typescript';
  return Promise.resolve(readFileSync(require.resolve(`${pkg}/${fileName}`)));
});

function report(label: string, expected: readonly string[], ours: readonly string[]): void {
  const want = new Set(expected);
  const got = new Set(ours);
  const matched = [...want].filter((k) => got.has(k));
  const recall = want.size === 0 ? 1 : matched.length / want.size;
  const precision = got.size === 0 ? 1 : matched.length / got.size;
  console.log(
    `${label}: oracle ${want.size}, ours ${got.size}, matched ${matched.length}; ` +
      `recall ${(100 * recall).toFixed(1)}%, precision ${(100 * precision).toFixed(1)}%`,
  );
  for (const k of [...want].filter((k) => !got.has(k)).slice(0, 15)) {
    console.log(`  missed ${k}`);
  }
  for (const k of [...got].filter((k) => !want.has(k)).slice(0, 15)) {
    console.log(`  extra  ${k}`);
  }
}

async function main(root: string): Promise<void> {
  const oracle: OracleSite[] = [];
  const ours: OracleSite[] = [];
  const parsers = new Map<GrammarName, Awaited<ReturnType<typeof factory.createParser>>>();
  let files = 0;
  let errors = 0;
  for (const path of walk(root, (name) => Object.keys(GRAMMAR).some((ext) => name.endsWith(ext)))) {
    const ext = Object.keys(GRAMMAR).find((e) => path.endsWith(e)) ?? '.js';
    const grammar = GRAMMAR[ext] ?? 'javascript';
    const text = readFileSync(path, 'utf8');
    files++;
    oracle.push(...sourceSites(path, text, SOURCE_KINDS[ext] ?? 1));
    let parser = parsers.get(grammar);
    if (!parser) {
      parser = await factory.createParser(grammar);
      parsers.set(grammar, parser);
    }
    const tree = parser.parse(text);
    if (!tree) {
      continue;
    }
    const extraction = extractTfjs(tree, text);
    errors += extraction.errors.filter((e) => e.kind === 'internal').length;
    for (const site of extraction.sites) {
      if (site.location.type === 'text') {
        const { line, character } = site.location.range.start;
        const kind = site.variant === 'tf.moments' ? `moments:${site.kind}` : site.kind;
        ours.push({ path, at: `${line}:${character}`, kind });
      }
    }
    tree.delete();
  }
  const models = [...walk(root, (name) => name === 'model.json')];
  for (const path of models) {
    const text = readFileSync(path, 'utf8');
    oracle.push(...modelSites(path, text));
    const result = await analyzeTfjsModelJson(text);
    errors += result.errors.length;
    for (const site of result.sites) {
      if (site.location.type === 'graph') {
        // Layer sites are named by their path through nested models; the oracle by the layer name.
        const node = site.location.nodes[0] ?? '';
        const at = site.context.origin === 'layers-model' ? (node.split('/').at(-1) ?? '') : node;
        ours.push({ path, at, kind: site.kind });
      }
    }
  }
  // The oracle reads moments kinds from literal axes only; compare kinds where it has one.
  const normalize = (s: OracleSite): OracleSite =>
    s.kind.startsWith('moments:') ? { ...s, kind: s.kind.slice('moments:'.length) } : s;
  const isModel = (s: OracleSite): boolean => s.path.endsWith('model.json');
  const withKind = (s: OracleSite): string => `${s.path}@${s.at}:${s.kind}`;
  const withoutKind = (s: OracleSite): string => `${s.path}@${s.at}`;
  console.log(`${files} source files, ${models.length} model.json files, ${errors} errors`);
  for (const [label, filter] of [
    ['sources', (s: OracleSite) => !isModel(s)],
    ['model.json', isModel],
  ] as const) {
    const expected = oracle.filter(filter);
    const found = ours.filter(filter).map(normalize);
    report(`${label} (site)`, expected.map(withoutKind), found.map(withoutKind));
    report(`${label} (site+kind)`, expected.map(withKind), found.map(withKind));
  }
}

void main(process.argv[2] ?? '.');
