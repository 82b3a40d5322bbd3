/**
 * Public surface of the TensorFlow.js support: source extraction (`.js .mjs .cjs .ts .tsx`) and,
 * for model.json files, layers-model and graph-model inventories with lazy weight health.
 */
export { extractTfjs } from './source/extract';
export type {
  DtypeEvidence,
  ProducerLayer,
  TfjsExtraction,
  TfjsFileContext,
  TfjsNormSite,
  TfjsSiteContext,
  TfjsWeightRole,
} from './types';
export { analyzeTfjsModelJson } from './model-json/analyze';
export type { ModelJsonFormat, TfjsModelJsonResult } from './model-json/analyze';
export type { TfjsLayerHealth } from './model-json/health';
export type { ShardLoader } from './model-json/weights';
