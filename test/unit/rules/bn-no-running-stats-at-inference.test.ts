import { bnNoRunningStatsAtInference } from '../../../src/core/rules/bn-no-running-stats-at-inference';
import type { ModeEvidence } from '../../../src/core/index';
import { byDefault, lineRange, literal, pytorchSite } from '../helpers/sites';
import { describeRule } from './cases';

const evalOf = (target: string): ModeEvidence => ({
  mode: 'eval',
  target,
  message: `${target}.eval()`,
  range: lineRange(40),
});

describeRule(bnNoRunningStatsAtInference, [
  {
    name: 'BatchNorm2d(track_running_stats=False)',
    site: pytorchSite('BatchNorm2d', {
      num_features: literal(64),
      track_running_stats: literal(false, 'False'),
    }),
    expect: ['info'],
    messageHas: ["batch's statistics in eval() too", 'predictions depend'],
    fixes: ['Track running statistics (track_running_stats=True)'],
    edits: ['True'],
  },
  {
    name: 'a warning when the layer itself is put in eval mode',
    site: pytorchSite(
      'BatchNorm2d',
      { num_features: literal(64), track_running_stats: literal(false, 'False') },
      { context: { binding: 'self.bn', modes: [evalOf('self.bn')] } },
    ),
    expect: ['warning'],
  },
  {
    name: 'a file-level model.eval() may be about another model: still information',
    site: pytorchSite('BatchNorm2d', { track_running_stats: literal(false, 'False') }),
    context: { batchSizes: [], modes: [evalOf('model')] },
    expect: ['info'],
  },
  {
    name: 'the default tracks statistics',
    site: pytorchSite('BatchNorm2d', { track_running_stats: byDefault(true) }),
    expect: [],
  },
  {
    name: 'InstanceNorm does not track by default, by design',
    site: pytorchSite(
      'InstanceNorm2d',
      { track_running_stats: byDefault(false) },
      { kind: 'instancenorm' },
    ),
    expect: [],
  },
  {
    name: 'a value behind a splat is unknown',
    site: pytorchSite('BatchNorm2d', {
      track_running_stats: { value: null, source: 'unknown', expression: '**kw' },
    }),
    expect: [],
  },
]);
