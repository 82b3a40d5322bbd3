/**
 * An independent oracle for the tfjs extractor, built on the TypeScript compiler API: lists the
 * call sites of the tfjs normalization forms in source files, and the normalization layers/nodes
 * of model.json files by a plain recursive JSON walk. It shares no code with src/core/tfjs.
 * Usage: npx tsx scripts/oracle/tfjs-oracle.ts ROOT > oracle.jsonl
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import ts from 'typescript';

/** One expected site. `at` is `line:column` (0-based, UTF-16) for sources, the node path for models. */
export interface OracleSite {
  readonly path: string;
  readonly at: string;
  readonly kind: string;
}

const PACKAGE = /^@tensorflow\/tfjs(-node|-node-gpu|-layers|-core)?$/;

const FORMS: Readonly<Record<string, string>> = {
  'tf.layers.batchNormalization': 'batchnorm',
  'tf.layers.layerNormalization': 'layernorm',
  'tf.batchNorm': 'batchnorm',
  'tf.batchNorm2d': 'batchnorm',
  'tf.batchNorm3d': 'batchnorm',
  'tf.batchNorm4d': 'batchnorm',
  'tf.localResponseNormalization': 'lrn',
  'tf.moments': 'moments',
};

/** Source files by extension, with the script kind TypeScript should parse them as. */
export const SOURCE_KINDS: Readonly<Record<string, ts.ScriptKind>> = {
  '.js': ts.ScriptKind.JS,
  '.mjs': ts.ScriptKind.JS,
  '.cjs': ts.ScriptKind.JS,
  '.ts': ts.ScriptKind.TS,
  '.tsx': ts.ScriptKind.TSX,
};

/** Files under `root` (sorted, no symlinks, no node_modules) whose name passes `keep`. */
export function* walk(root: string, keep: (name: string) => boolean): Generator<string> {
  const entries = readdirSync(root, { withFileTypes: true });
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(root, entry.name);
    if (entry.isDirectory() && entry.name !== 'node_modules') {
      yield* walk(path, keep);
    } else if (entry.isFile() && keep(entry.name)) {
      yield path;
    }
  }
}

/** Strips parentheses, `as`, `!`, `satisfies`, `<T>x` and `await`. */
function strip(node: ts.Expression): ts.Expression {
  let current = node;
  for (;;) {
    if (
      ts.isParenthesizedExpression(current) ||
      ts.isAsExpression(current) ||
      ts.isNonNullExpression(current) ||
      ts.isSatisfiesExpression(current) ||
      ts.isTypeAssertionExpression(current) ||
      ts.isAwaitExpression(current)
    ) {
      current = current.expression;
    } else {
      return current;
    }
  }
}

/** Sites of one source text. */
export function sourceSites(path: string, text: string, scriptKind: ts.ScriptKind): OracleSite[] {
  const file = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, scriptKind);
  const aliases = new Map<string, string>();
  const foreign = new Set<string>();
  const requireOf = (e: ts.Expression): string | null | undefined => {
    const x = strip(e);
    if (
      !ts.isCallExpression(x) ||
      !ts.isIdentifier(x.expression) ||
      x.expression.text !== 'require'
    ) {
      return undefined;
    }
    const arg = x.arguments[0];
    return arg && ts.isStringLiteral(arg) && PACKAGE.test(arg.text) ? 'tf' : null;
  };
  const resolve = (e: ts.Expression): string | undefined => {
    const x = strip(e);
    if (ts.isIdentifier(x)) {
      return aliases.get(x.text) ?? (x.text === 'tf' && !foreign.has('tf') ? 'tf' : undefined);
    }
    if (ts.isPropertyAccessExpression(x) && ts.isIdentifier(x.name)) {
      const base = resolve(x.expression);
      return base === undefined ? undefined : `${base}.${x.name.text}`;
    }
    return undefined;
  };
  const declarations: ts.VariableDeclaration[] = [];
  const collect = (node: ts.Node): void => {
    if (
      ts.isImportDeclaration(node) &&
      ts.isStringLiteral(node.moduleSpecifier) &&
      node.importClause
    ) {
      const tfjs = PACKAGE.test(node.moduleSpecifier.text);
      const bind = (local: string, target: string): void => {
        if (tfjs) {
          aliases.set(local, target);
        } else {
          foreign.add(local);
        }
      };
      const clause = node.importClause;
      if (clause.name) {
        bind(clause.name.text, 'tf');
      }
      const named = clause.namedBindings;
      if (named && ts.isNamespaceImport(named)) {
        bind(named.name.text, 'tf');
      } else if (named) {
        for (const element of named.elements) {
          bind(element.name.text, `tf.${(element.propertyName ?? element.name).text}`);
        }
      }
    }
    if (ts.isVariableDeclaration(node) && node.initializer) {
      declarations.push(node);
    }
    ts.forEachChild(node, collect);
  };
  collect(file);
  for (let pass = 0; pass < 2; pass++) {
    for (const declaration of declarations) {
      const init = declaration.initializer;
      if (!init) {
        continue;
      }
      const required = requireOf(init);
      if (required === null && ts.isIdentifier(declaration.name)) {
        foreign.add(declaration.name.text);
      }
      const target = required ?? resolve(init);
      if (target === undefined) {
        continue;
      }
      if (ts.isIdentifier(declaration.name)) {
        aliases.set(declaration.name.text, target);
      } else if (ts.isObjectBindingPattern(declaration.name)) {
        for (const element of declaration.name.elements) {
          const key = element.propertyName ?? element.name;
          if (ts.isIdentifier(element.name) && (ts.isIdentifier(key) || ts.isStringLiteral(key))) {
            aliases.set(element.name.text, `${target}.${key.text}`);
          }
        }
      }
    }
  }
  const position = (node: ts.Node): string => {
    const { line, character } = file.getLineAndCharacterOfPosition(node.getStart(file));
    return `${line}:${character}`;
  };
  const sites: OracleSite[] = [];
  const calls: { node: ts.CallExpression; kind: string }[] = [];
  const classes: { name: string; node: ts.ClassLikeDeclaration; base: ts.Expression }[] = [];
  const news: ts.NewExpression[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const target = resolve(node.expression);
      const form = target === undefined ? undefined : FORMS[target];
      if (form !== undefined) {
        calls.push({ node, kind: form === 'moments' ? momentsKind(node) : form });
      }
    }
    if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) {
      const heritage = node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword);
      const base = heritage?.types[0]?.expression;
      const name =
        node.name?.text ??
        (ts.isVariableDeclaration(node.parent) && ts.isIdentifier(node.parent.name)
          ? node.parent.name.text
          : undefined);
      if (base && name !== undefined) {
        classes.push({ name, node, base });
      }
    }
    if (ts.isNewExpression(node)) {
      news.push(node);
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  for (const call of calls) {
    sites.push({ path, at: position(call.node), kind: call.kind });
  }
  // Layer subclasses: direct subclasses of tf.layers.Layer, then subclasses of those.
  const layerClasses = new Set<string>();
  for (let pass = 0; pass < 3; pass++) {
    for (const c of classes) {
      const base = strip(c.base);
      if (
        resolve(base) === 'tf.layers.Layer' ||
        (ts.isIdentifier(base) && layerClasses.has(base.text))
      ) {
        layerClasses.add(c.name);
      }
    }
  }
  const innerKind = new Map<string, string>();
  for (const c of classes) {
    if (!layerClasses.has(c.name) || innerKind.has(c.name)) {
      continue;
    }
    const inner = calls.find((call) => call.node.pos >= c.node.pos && call.node.end <= c.node.end);
    if (inner) {
      innerKind.set(c.name, inner.kind);
    }
  }
  for (const expression of news) {
    const callee = expression.expression;
    const kind = ts.isIdentifier(callee) ? innerKind.get(callee.text) : undefined;
    if (kind !== undefined) {
      sites.push({ path, at: position(expression), kind });
    }
  }
  return sites;
}

/** The normalization a literal `tf.moments` axis list serves (written independently of the core). */
function momentsKind(call: ts.CallExpression): string {
  const axis = call.arguments[1];
  const number = (e: ts.Expression): number | undefined => {
    if (ts.isNumericLiteral(e)) {
      return Number(e.text);
    }
    if (
      ts.isPrefixUnaryExpression(e) &&
      e.operator === ts.SyntaxKind.MinusToken &&
      ts.isNumericLiteral(e.operand)
    ) {
      return -Number(e.operand.text);
    }
    return undefined;
  };
  let axes: (number | undefined)[] | undefined;
  if (axis && ts.isArrayLiteralExpression(axis)) {
    axes = axis.elements.map(number);
  } else if (axis) {
    axes = [number(axis)];
  }
  if (!axes || axes.length === 0 || axes.some((a) => a === undefined)) {
    return 'other';
  }
  const sorted = (axes as number[])
    .slice()
    .sort((a, b) => a - b)
    .join(',');
  if ((axes as number[]).includes(0)) {
    return 'batchnorm';
  }
  const table: Record<string, string> = {
    '-1': 'layernorm',
    '1,2,3': 'layernorm',
    '1,2': 'instancenorm',
    '2,3': 'instancenorm',
    '1,2,4': 'groupnorm',
  };
  return table[sorted] ?? 'other';
}

const LAYER_KINDS: Readonly<Record<string, string>> = {
  BatchNormalization: 'batchnorm',
  LayerNormalization: 'layernorm',
  GroupNormalization: 'groupnorm',
  InstanceNormalization: 'instancenorm',
};

/** Normalization layers and nodes of one model.json, found by walking every object in it. */
export function modelSites(path: string, text: string): OracleSite[] {
  const json: unknown = JSON.parse(text);
  const sites: OracleSite[] = [];
  const seen = (value: unknown, depth: number): void => {
    if (depth > 64 || typeof value !== 'object' || value === null) {
      return;
    }
    if (Array.isArray(value)) {
      value.forEach((item) => seen(item, depth + 1));
      return;
    }
    const record = value as Record<string, unknown>;
    const className =
      typeof record['class_name'] === 'string' ? record['class_name'].replace(/^Addons>/, '') : '';
    const config = record['config'] as Record<string, unknown> | undefined;
    const name = typeof config?.['name'] === 'string' ? config['name'] : '';
    if (LAYER_KINDS[className] !== undefined) {
      sites.push({ path, at: name, kind: LAYER_KINDS[className] });
    }
    const op = typeof record['op'] === 'string' ? record['op'] : '';
    const nodeName = typeof record['name'] === 'string' ? record['name'] : '';
    if (/^FusedBatchNorm(V2|V3)?$/.test(op)) {
      sites.push({ path, at: nodeName, kind: 'batchnorm' });
    } else if (op === 'LRN') {
      sites.push({ path, at: nodeName, kind: 'lrn' });
    } else if (
      Array.isArray(record['input']) &&
      record['input'].some((i) => typeof i === 'string' && i.includes('_bn_offset'))
    ) {
      sites.push({ path, at: nodeName, kind: 'batchnorm' });
    }
    Object.values(record).forEach((item) => seen(item, depth + 1));
  };
  seen(json, 0);
  return sites;
}

function main(root: string): void {
  for (const path of walk(root, (name) =>
    Object.keys(SOURCE_KINDS).some((ext) => name.endsWith(ext)),
  )) {
    const ext = Object.keys(SOURCE_KINDS).find((e) => path.endsWith(e)) ?? '.js';
    for (const site of sourceSites(
      path,
      readFileSync(path, 'utf8'),
      SOURCE_KINDS[ext] ?? ts.ScriptKind.JS,
    )) {
      process.stdout.write(`${JSON.stringify(site)}\n`);
    }
  }
  for (const path of walk(root, (name) => name === 'model.json')) {
    for (const site of modelSites(path, readFileSync(path, 'utf8'))) {
      process.stdout.write(`${JSON.stringify(site)}\n`);
    }
  }
}

if (require.main === module) {
  main(process.argv[2] ?? '.');
}
