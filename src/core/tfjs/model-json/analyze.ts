/**
 * Entry point for a tfjs `model.json`: decides layers-model vs graph-model, lists the
 * normalization sites, and, when the host can open the weight shards, their weight health (for
 * graph-models too: surviving BatchNorms and the offsets of folded ones).
 * Hostile input never throws: invalid JSON or an unknown layout becomes an error entry.
 */
import type { AnalysisError } from '../../model';
import type { TfjsFileContext, TfjsNormSite } from '../types';
import { graphModelSites } from './graph-model';
import { modelJsonHealth, type TfjsLayerHealth } from './health';
import { field, isObject, stringOf } from './json';
import { layersModelSites, MAX_LAYERS } from './layers-model';
import { manifestEntries, ShardReader, type ShardLoader } from './weights';

/** Which flavour of model.json was read. */
export type ModelJsonFormat = 'layers-model' | 'graph-model';

/** What {@link analyzeTfjsModelJson} found. */
export interface TfjsModelJsonResult {
  readonly format?: ModelJsonFormat;
  readonly sites: readonly TfjsNormSite[];
  readonly context: TfjsFileContext;
  readonly errors: readonly AnalysisError[];
  /** Weight health per layer site; present when `loadShard` was given. */
  readonly health?: readonly TfjsLayerHealth[];
}

/**
 * Lists the normalization layers of a tfjs model.json. `loadShard` opens a weight shard by the
 * path written in the manifest (relative to the model.json); without it no weights are read.
 */
export async function analyzeTfjsModelJson(
  text: string,
  loadShard?: ShardLoader,
): Promise<TfjsModelJsonResult> {
  const context: TfjsFileContext = { batchSizes: [], dtypes: [] };
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      sites: [],
      context,
      errors: [{ message: `Not valid JSON: ${reason}`, kind: 'syntax' }],
    };
  }
  try {
    return await analyzeJson(json, loadShard);
  } catch (error) {
    // A bug (or a failing shard loader) must not take the host down: report it instead.
    const reason = error instanceof Error ? error.message : String(error);
    return {
      sites: [],
      context,
      errors: [{ message: `model.json analysis failed: ${reason}`, kind: 'internal' }],
    };
  }
}

async function analyzeJson(
  json: unknown,
  loadShard: ShardLoader | undefined,
): Promise<TfjsModelJsonResult> {
  const topology = field(json, 'modelTopology');
  const format = formatOf(json, topology);
  const errors: AnalysisError[] = [];
  if (!format) {
    return {
      sites: [],
      context: { batchSizes: [], dtypes: [] },
      errors: [
        {
          message: 'Not a TensorFlow.js model.json: no layers-model or graph-model topology found',
          kind: 'syntax',
        },
      ],
    };
  }
  const entries = manifestEntries(field(json, 'weightsManifest'));
  const names = entries.map((e) => e.name);
  let sites: TfjsNormSite[];
  let context: TfjsFileContext;
  if (format === 'graph-model') {
    sites = graphModelSites(topology, names);
    context = { batchSizes: [], dtypes: [] };
  } else {
    const walked = layersModelSites(topology, names);
    if (walked.truncated) {
      errors.push({ message: `Only the first ${MAX_LAYERS} layers were read`, kind: 'limit' });
    }
    sites = walked.sites;
    context = { batchSizes: [], dtypes: walked.dtypes };
  }
  if (!loadShard) {
    return { format, sites, context, errors };
  }
  const health = await modelJsonHealth(sites, entries, new ShardReader(loadShard));
  for (const layer of health) {
    errors.push(...layer.unreadable.map((message) => ({ message, kind: 'syntax' as const })));
  }
  return { format, sites, context, errors, health };
}

function formatOf(json: unknown, topology: unknown): ModelJsonFormat | undefined {
  const declared = stringOf(field(json, 'format'));
  if (declared === 'graph-model' || Array.isArray(field(topology, 'node'))) {
    return 'graph-model';
  }
  const model = field(topology, 'model_config') ?? topology;
  return declared === 'layers-model' || (isObject(model) && typeof model['class_name'] === 'string')
    ? 'layers-model'
    : undefined;
}
