/**
 * Which local names refer to TensorFlow.js: `import * as tf from '@tensorflow/tfjs'`, named and
 * default imports, `require(…)` with or without destructuring, destructuring from `tf`, and
 * aliases such as `const bn = tf.layers.batchNormalization`. Every name resolves to a path under
 * `tf` (`tf.layers.batchNormalization`). An unbound `tf` is the script-tag global.
 */
import type { Node } from 'web-tree-sitter';
import type { ReadText } from '../../syntax/ranges';
import { childrenOf, keyName, stringContent, unwrap } from './syntax';

/** Packages whose exports live under the `tf` namespace of the union package. */
const TFJS_PACKAGE = /^@tensorflow\/tfjs(-node|-node-gpu|-layers|-core)?$/;

/** tfjs-data's exports are the union package's `tf.data` namespace. */
const TFJS_DATA_PACKAGE = '@tensorflow/tfjs-data';

/** The `tf` path a package's namespace stands for, or undefined for other modules. */
function namespaceOf(specifier: string): string | undefined {
  if (specifier === TFJS_DATA_PACKAGE) {
    return 'tf.data';
  }
  return TFJS_PACKAGE.test(specifier) ? 'tf' : undefined;
}

/** Local names bound to tfjs paths. */
export class TfjsNames {
  private readonly paths = new Map<string, string>();
  private readonly shadowed = new Set<string>();

  /** True when the file imports or requires a tfjs package. */
  importsTfjs = false;

  /** Binds `local` to `path` (`tf`, `tf.layers`, `tf.batchNorm`). */
  bind(local: string, path: string): void {
    this.paths.set(local, path);
  }

  /** Marks a name imported from another module, so it never resolves to the global `tf`. */
  shadow(local: string): void {
    this.shadowed.add(local);
  }

  /** The tfjs path an expression denotes (`tf.layers.batchNormalization`), if any. */
  resolve(raw: Node, read: ReadText): string | undefined {
    const node = unwrap(raw);
    if (node.type === 'identifier') {
      const name = read(node);
      const bound = this.paths.get(name);
      if (bound !== undefined) {
        return bound;
      }
      return name === 'tf' && !this.shadowed.has(name) ? 'tf' : undefined;
    }
    if (node.type === 'member_expression') {
      const object = node.childForFieldName('object');
      const property = node.childForFieldName('property');
      const base = object && this.resolve(object, read);
      return base !== undefined && property?.type === 'property_identifier'
        ? `${base}.${read(property)}`
        : undefined;
    }
    return undefined;
  }
}

/** Collects the tfjs names of a file. */
export function collectNames(root: Node, read: ReadText): TfjsNames {
  const names = new TfjsNames();
  for (const statement of root.descendantsOfType('import_statement')) {
    if (statement) {
      bindImport(statement, names, read);
    }
  }
  // Declarations may refer to names declared by earlier ones, so two passes settle aliases of aliases.
  const declarators = root
    .descendantsOfType('variable_declarator')
    .filter((node): node is Node => node !== null);
  for (let pass = 0; pass < 2; pass++) {
    for (const declarator of declarators) {
      bindDeclarator(declarator, names, read);
    }
  }
  return names;
}

function bindImport(statement: Node, names: TfjsNames, read: ReadText): void {
  const source = statement.childForFieldName('source');
  const clause = childrenOf(statement).find((child) => child.type === 'import_clause');
  if (!source || !clause) {
    return;
  }
  const namespace = namespaceOf(stringContent(source, read));
  names.importsTfjs ||= namespace !== undefined;
  for (const part of childrenOf(clause)) {
    if (part.type === 'identifier' || part.type === 'namespace_import') {
      // A default import of the tfjs packages is their namespace under esModuleInterop.
      const local = part.type === 'identifier' ? part : part.firstNamedChild;
      if (local) {
        bindOrShadow(names, read(local), namespace);
      }
    } else if (part.type === 'named_imports') {
      for (const specifier of childrenOf(part)) {
        const name = specifier.childForFieldName('name');
        const alias = specifier.childForFieldName('alias') ?? name;
        if (name && alias) {
          bindOrShadow(
            names,
            read(alias),
            namespace === undefined ? undefined : `${namespace}.${read(name)}`,
          );
        }
      }
    }
  }
}

function bindOrShadow(names: TfjsNames, local: string, path: string | undefined): void {
  if (path === undefined) {
    names.shadow(local);
  } else {
    names.bind(local, path);
  }
}

/** `const tf = require('@tensorflow/tfjs')`, `const {layers} = tf`, `const bn = tf.layers.x`. */
function bindDeclarator(declarator: Node, names: TfjsNames, read: ReadText): void {
  const pattern = declarator.childForFieldName('name');
  const value = declarator.childForFieldName('value');
  if (!pattern || !value) {
    return;
  }
  const required = requiredPackage(value, names, read);
  if (required === null && pattern.type === 'identifier') {
    names.shadow(read(pattern));
  }
  const path = required ?? names.resolve(value, read);
  if (path === undefined) {
    return;
  }
  if (pattern.type === 'identifier') {
    names.bind(read(pattern), path);
    return;
  }
  if (pattern.type !== 'object_pattern') {
    return;
  }
  for (const property of childrenOf(pattern)) {
    if (property.type === 'shorthand_property_identifier_pattern') {
      names.bind(read(property), `${path}.${read(property)}`);
    } else if (property.type === 'pair_pattern') {
      const key = property.childForFieldName('key');
      const local = property.childForFieldName('value');
      const name = key && keyName(key, read);
      if (name !== undefined && local?.type === 'identifier') {
        names.bind(read(local), `${path}.${name}`);
      }
    }
  }
}

/**
 * `tf` for `require('@tensorflow/tfjs…')` (`tf.data` for tfjs-data), null for a `require` of any
 * other module, undefined for values that are not `require` calls.
 */
function requiredPackage(raw: Node, names: TfjsNames, read: ReadText): string | null | undefined {
  const value = unwrap(raw);
  const callee = value.type === 'call_expression' ? value.childForFieldName('function') : null;
  if (callee?.type !== 'identifier' || read(callee) !== 'require') {
    return undefined;
  }
  const argument = childrenOf(value.childForFieldName('arguments'))[0];
  const namespace =
    argument?.type === 'string' ? namespaceOf(stringContent(argument, read)) : undefined;
  if (namespace === undefined) {
    return null;
  }
  names.importsTfjs = true;
  return namespace;
}
