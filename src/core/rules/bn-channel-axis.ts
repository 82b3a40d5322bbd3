/**
 * NORM024: a tfjs/Keras BatchNormalization whose axis is not the channel axis of the layer before
 * it: `axis: -1` (the default) after a `channelsFirst` convolution normalizes the width instead of
 * the channels. The tf.keras docs: after a Conv2D with data_format="channels_first", set axis=1.
 */
import { replaceLiteral, singleEditFix } from './edits';
import { channelsFirst, producerKind, singleAxis, siteProducer, tfjsContext } from './site-facts';
import type { Rule, RuleHit } from './types';

export const bnChannelAxis: Rule = {
  id: 'bn-channel-axis',
  catalogId: 'NORM024',
  title: 'BatchNorm axis is not the channel axis',
  defaultSeverity: 'warning',
  appliesTo: ['tfjs'],
  thresholds: [],
  check(site): readonly RuleHit[] {
    const producer = tfjsContext(site)?.producer;
    const axisParam = site.params['axis'];
    const axis = singleAxis(axisParam?.value);
    const kind = producerKind(producer);
    if (
      site.kind !== 'batchnorm' ||
      !producer ||
      !kind?.startsWith('conv') ||
      !channelsFirst(producer) ||
      axis !== -1
    ) {
      return [];
    }
    return [
      {
        message:
          `${site.variant} normalizes axis -1, but ${producer.layer} writes channels first ` +
          `(dataFormat ${producer.dataFormat ?? ''}): the statistics are per column, not per ` +
          `channel. Set axis: 1.`,
        related: [siteProducer(site)?.evidence ?? { message: producer.layer }],
        fixes: singleEditFix(
          'Normalize the channel axis (axis: 1)',
          replaceLiteral(axisParam, '1'),
          true,
        ),
      },
    ];
  },
};
