/**
 * The inventory of a TensorFlow.js `model.json`: layers and their findings, with weight health read
 * from the manifest's shards beside the file, and each row's weights read again on demand.
 */
import type * as vscode from 'vscode';
import {
  analyzeTfjsModelJson,
  modelJsonReport,
  type FileReport,
  type LayerWeights,
  type NormSite,
  type RuleConfig,
  type ShardLoader,
  type TfjsLayerHealth,
  type TfjsModelJsonResult,
  type TfjsNormSite,
} from '../../core/index';
import type { SizeLimit } from '../analysis-settings';
import { modelJsonShards, type ModelFileAccess } from '../model-files';
import type { InventoryResult, InventorySource } from './inventory-view';
import { tfjsLayerWeights } from './layer-weights';
import { inventoryRows } from '../../core/index';

const FORMAT_LABEL = {
  'layers-model': 'TensorFlow.js layers-model',
  'graph-model': 'TensorFlow.js graph-model',
} as const;

/** One model.json text and its analysis. */
export class TfjsModelInventory implements InventorySource {
  private readonly analysis: Promise<{ result: TfjsModelJsonResult; report: FileReport }>;
  /**
   * Reads a shard named in the manifest from the model's folder, no bigger than its weights (the
   * tfjs reader has already refused absolute paths, URLs and `..`).
   */
  private readonly loadShard: ShardLoader;

  constructor(
    private readonly uri: vscode.Uri,
    private readonly text: string,
    rules: RuleConfig,
    access: ModelFileAccess,
    limit: SizeLimit,
  ) {
    this.loadShard = modelJsonShards(access, uri, text, limit);
    this.analysis = analyzeTfjsModelJson(text, this.loadShard).then((result) => ({
      result,
      report: modelJsonReport(result, { rules }),
    }));
  }

  async inventory(): Promise<InventoryResult> {
    const { result, report } = await this.analysis;
    if (!result.format) {
      return { ok: false, message: report.errors[0]?.message ?? 'Not a TensorFlow.js model.json' };
    }
    return {
      ok: true,
      inventory: {
        title: fileName(this.uri),
        format: FORMAT_LABEL[result.format],
        rows: inventoryRows(report, hasTfjsWeights),
        notes: report.errors.map((e) => e.message),
      },
    };
  }

  async layer(id: number): Promise<LayerWeights> {
    const { result } = await this.analysis;
    const site = result.sites[id];
    if (!site) {
      throw new Error(`no layer ${id} in this model`);
    }
    const health = new Map((result.health ?? []).map((h) => [h.layer, h]));
    return tfjsLayerWeights(
      JSON.parse(this.text) as unknown,
      site,
      this.loadShard,
      healthOf(health, site)?.issues ?? [],
      fileName(this.uri),
    );
  }
}

function healthOf(
  health: ReadonlyMap<string, TfjsLayerHealth>,
  site: NormSite,
): TfjsLayerHealth | undefined {
  return site.location.type === 'graph' ? health.get(site.location.nodes[0] ?? '') : undefined;
}

function hasTfjsWeights(site: NormSite): boolean {
  return (site as TfjsNormSite).context.weights !== undefined;
}

/** The last path segment of a URI. */
export function fileName(uri: vscode.Uri): string {
  return uri.path.slice(uri.path.lastIndexOf('/') + 1);
}
