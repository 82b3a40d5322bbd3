/**
 * The inventory of one `.onnx` file: analysed once (structure, detection, rules), and each row's
 * weights read on demand from the same open file.
 */
import {
  readOnnxModel,
  type FileReport,
  type LayerWeights,
  type NormSite,
  type OnnxModel,
  type OnnxNormSite,
  type RuleConfig,
  type SourceAnalyzer,
} from '../../core/index';
import type { InventoryResult, InventorySource } from './inventory-view';
import { onnxLayerWeights } from './layer-weights';
import type { OpenedModel } from './open-model';
import { inventoryRows } from './rows';

/** One opened ONNX model and its analysis. */
export class OnnxModelInventory implements InventorySource {
  /** The analysis report; the Problems entries come from it too. */
  readonly report: Promise<FileReport>;
  private model: Promise<OnnxModel> | undefined;

  constructor(
    private readonly fileName: string,
    private readonly opened: OpenedModel,
    analyzer: SourceAnalyzer,
    rules: RuleConfig,
    private readonly signal: AbortSignal,
  ) {
    this.report = analyzer.analyzeOnnx(opened.source, {
      rules,
      signal,
      ...(opened.resolveExternal ? { resolveExternal: opened.resolveExternal } : {}),
    });
  }

  async inventory(): Promise<InventoryResult> {
    const report = await this.report;
    const fatal = report.errors.find((e) => e.kind === 'invalid' || e.kind === 'internal');
    if (report.sites.length === 0 && fatal) {
      return {
        ok: false,
        message: fatal.message,
        ...(fatal.offset === undefined ? {} : { offset: fatal.offset }),
      };
    }
    return {
      ok: true,
      inventory: {
        title: this.fileName,
        format: 'ONNX model',
        rows: inventoryRows(report, hasOnnxWeights),
        notes: report.errors.map((e) => e.message),
      },
    };
  }

  async layer(id: number): Promise<LayerWeights> {
    const site = (await this.report).sites[id];
    if (site?.framework !== 'onnx') {
      throw new Error(`no layer ${id} in this model`);
    }
    // The analysis read the structure once already; the panel's reads reuse one second reading.
    this.model ??= readOnnxModel(this.opened.source, {
      signal: this.signal,
      ...(this.opened.resolveExternal ? { resolveExternal: this.opened.resolveExternal } : {}),
    });
    return onnxLayerWeights(await this.model, site as OnnxNormSite, this.fileName);
  }
}

function hasOnnxWeights(site: NormSite): boolean {
  const { tensors } = (site as OnnxNormSite).context;
  return ['scale', 'bias', 'mean', 'var'].some((role) => role in tensors);
}
