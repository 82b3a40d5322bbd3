/**
 * Import resolution: which qualified name each local name refers to (`nn` → `torch.nn`,
 * `BN` → `torch.nn.BatchNorm2d`), and which imports cannot be followed (star imports).
 */
import type { Node } from 'web-tree-sitter';
import type { SourceRange } from '../model';
import type { ReadText } from '../syntax/ranges';
import { rangeOf } from '../syntax/ranges';

/** A `from module import *` whose names NormLens does not know, so they stay unresolved. */
export interface StarImport {
  readonly module: string;
  readonly range: SourceRange;
}

/** What the imports of one file bind. */
export interface ImportTable {
  /** Local name → the dotted path it refers to. */
  readonly bindings: ReadonlyMap<string, string>;
  readonly starImports: readonly StarImport[];
}

/** Node types that introduce imported names. */
export const IMPORT_NODE_TYPES = ['import_statement', 'import_from_statement'] as const;

/**
 * Reads every import statement of the file. Imports inside functions are included: a file that
 * imports `torch.nn as nn` in one function rarely binds `nn` to something else in another.
 */
export function collectImports(
  statements: readonly Node[],
  read: ReadText,
  packagePath?: readonly string[],
): ImportTable {
  const bindings = new Map<string, string>();
  const starImports: StarImport[] = [];
  for (const statement of statements) {
    if (statement.type === 'import_statement') {
      for (const name of statement.childrenForFieldName('name')) {
        bindImport(name, read, bindings);
      }
    } else {
      const moduleName = statement.childForFieldName('module_name');
      const written = moduleName ? read(moduleName) : '';
      const module = absoluteModule(written, packagePath);
      if (statement.namedChildren.some((child) => child?.type === 'wildcard_import')) {
        starImports.push({ module, range: rangeOf(statement) });
      }
      for (const name of statement.childrenForFieldName('name')) {
        bindFromImport(module, name, read, bindings);
      }
    }
  }
  return { bindings, starImports };
}

/**
 * `..ops.misc` seen from package `torchvision.models.detection` is `torchvision.models.ops.misc`.
 * Without a known package, relative modules stay as written and so never match a torch name.
 */
function absoluteModule(written: string, packagePath: readonly string[] | undefined): string {
  const level = /^\.*/.exec(written)?.[0].length ?? 0;
  if (level === 0 || !packagePath || level - 1 > packagePath.length) {
    return written;
  }
  const base = packagePath.slice(0, packagePath.length - (level - 1));
  const rest = written.slice(level);
  return [...base, ...(rest ? [rest] : [])].join('.');
}

/** `import a.b.c` binds `a`; `import a.b as x` binds `x` to `a.b`. */
function bindImport(name: Node, read: ReadText, bindings: Map<string, string>): void {
  if (name.type === 'aliased_import') {
    const path = optionalText(name.childForFieldName('name'), read);
    const alias = optionalText(name.childForFieldName('alias'), read);
    if (path && alias) {
      bindings.set(alias, path);
    }
  } else {
    const head = read(name).split('.')[0];
    if (head) {
      bindings.set(head, head);
    }
  }
}

/** `from m import a as b` binds `b` to `m.a`. */
function bindFromImport(
  module: string,
  name: Node,
  read: ReadText,
  bindings: Map<string, string>,
): void {
  const aliased = name.type === 'aliased_import';
  const imported = aliased ? optionalText(name.childForFieldName('name'), read) : read(name);
  const local = aliased ? optionalText(name.childForFieldName('alias'), read) : imported;
  if (imported && local) {
    bindings.set(local, module.endsWith('.') ? module + imported : `${module}.${imported}`);
  }
}

/**
 * The parts of a dotted reference (`nn.BatchNorm2d` → `['nn', 'BatchNorm2d']`), if it is one.
 * `type` is the node's type when the caller has read it already.
 */
export function dottedParts(node: Node, read: ReadText, type = node.type): string[] | undefined {
  if (type === 'identifier') {
    return [read(node)];
  }
  if (type !== 'attribute') {
    return undefined;
  }
  // Most references are written without spaces or line breaks: their text alone gives the parts,
  // which spares reading each child node (a crossing into WebAssembly per child).
  const text = read(node);
  if (PLAIN_DOTTED.test(text)) {
    const parts = text.split('.');
    if (!parts.some((part) => LITERAL_NAMES.has(part))) {
      return parts;
    }
  }
  const object = node.childForFieldName('object');
  const attribute = node.childForFieldName('attribute');
  const head = object ? dottedParts(object, read) : undefined;
  return head && attribute ? [...head, read(attribute)] : undefined;
}

/** An attribute chain of plain ASCII names, with nothing between the names and the dots. */
const PLAIN_DOTTED = /^[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+$/;

/** Names the grammar parses as literals, not identifiers (`None.x` is no dotted reference). */
const LITERAL_NAMES: ReadonlySet<string> = new Set(['True', 'False', 'None']);

/** The qualified name a dotted reference denotes through the imports, if its head is imported. */
export function qualify(parts: readonly string[], imports: ImportTable): string | undefined {
  const [head, ...rest] = parts;
  const target = head === undefined ? undefined : imports.bindings.get(head);
  return target === undefined ? undefined : [target, ...rest].join('.');
}

function optionalText(node: Node | null, read: ReadText): string | undefined {
  return node ? read(node) : undefined;
}
