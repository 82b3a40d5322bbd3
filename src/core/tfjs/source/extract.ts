/**
 * TensorFlow.js source extraction: normalization sites with effective parameters and producer
 * context, plus file-level batch-size and dtype evidence. Reads a tree-sitter syntax tree of
 * JavaScript or TypeScript; never runs user code.
 */
import type { Node, Tree } from 'web-tree-sitter';
import type { AnalysisError, BatchSizeEvidence } from '../../model';
import { textReader } from '../../syntax/ranges';
import { syntaxErrors } from '../../syntax/syntax-errors';
import type { DtypeEvidence, TfjsExtraction, TfjsNormSite } from '../types';
import { customLayerSites } from './custom-layers';
import { DatasetBatches } from './datasets';
import { batchSizeOf, dtypeOf } from './evidence';
import { collectNames } from './imports';
import { ProducerFinder } from './producers';
import { siteOf, type SourceScope } from './sites';
import { collectBindings, ValueResolver } from './values';
import { VariableWrites } from './writes';

/** Files that mention `tf.` are tfjs files even without an import (the script-tag global). */
const GLOBAL_TF = /\btf\s*\./;

/**
 * Pure: reads the syntax tree of one JavaScript/TypeScript file. Never throws on any input
 * (syntax errors give results for the intact parts and an entry in `errors`).
 */
export function extractTfjs(tree: Tree, text: string): TfjsExtraction {
  const sites: TfjsNormSite[] = [];
  const batchSizes: BatchSizeEvidence[] = [];
  const dtypes: DtypeEvidence[] = [];
  const errors: AnalysisError[] = [];
  try {
    const root = tree.rootNode;
    errors.push(...syntaxErrors(root));
    const read = textReader(text);
    const scope: SourceScope = {
      names: collectNames(root, read),
      values: new ValueResolver(collectBindings(root, read), read),
      read,
    };
    const writes = new VariableWrites(root, read);
    const producers = new ProducerFinder(scope, writes);
    const calls = root.descendantsOfType('call_expression').filter((n): n is Node => n !== null);
    const found: TfjsNormSite[] = [];
    for (const call of calls) {
      const site = siteOf(call, scope);
      if (site) {
        found.push(
          site.variant.startsWith('tf.layers.') ? withNeighbourhood(site, call, producers) : site,
        );
      }
    }
    sites.push(...customLayerSites(root, found, scope).sort(byPosition));
    if (scope.names.importsTfjs || GLOBAL_TF.test(text)) {
      const datasets = new DatasetBatches(calls, scope, writes);
      for (const call of calls) {
        const batch = batchSizeOf(call, scope) ?? datasets.evidence(call);
        if (batch) {
          batchSizes.push(batch);
        }
        const dtype = dtypeOf(call, scope);
        if (dtype) {
          dtypes.push(dtype);
        }
      }
    }
  } catch (error) {
    // A bug here must not take the editor down: report it and keep what was found so far.
    const reason = error instanceof Error ? error.message : String(error);
    errors.push({ message: `TensorFlow.js analysis stopped early: ${reason}`, kind: 'internal' });
  }
  return { sites, context: { batchSizes, dtypes }, errors };
}

/** Source order, so hovers and reports list sites as they appear. */
function byPosition(a: TfjsNormSite, b: TfjsNormSite): number {
  const x = a.location.type === 'text' ? a.location.range.start : { line: 0, character: 0 };
  const y = b.location.type === 'text' ? b.location.range.start : { line: 0, character: 0 };
  return x.line - y.line || x.character - y.character;
}

function withNeighbourhood(
  site: TfjsNormSite,
  call: Node,
  producers: ProducerFinder,
): TfjsNormSite {
  const around = producers.around(call);
  return around.producer || around.inputShape
    ? { ...site, context: { ...site.context, ...around } }
    : site;
}
