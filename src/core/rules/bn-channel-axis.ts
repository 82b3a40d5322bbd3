/**
 * NORM024: a tfjs/Keras BatchNormalization whose axis is not the channel axis of the layer before
 * it: `axis: -1` (the default) after a `channelsFirst` convolution normalizes the width instead of
 * the channels. The tf.keras docs: after a Conv2D with data_format="channels_first", set axis=1.
 */
import { replaceLiteral, singleEditFix } from './edits';
import type { ProducerLayer } from '../tfjs/index';
import {
  channelAxes,
  channelsFirst,
  producerKind,
  singleAxis,
  siteProducer,
  tfjsContext,
} from './site-facts';
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
    const expected = channelAxes(producer);
    // Only a channels-first convolution followed by a channels-last axis (-1 or rank − 1) is sure.
    if (
      site.kind !== 'batchnorm' ||
      !producer ||
      !channelsFirst(producer) ||
      !expected ||
      axis === undefined ||
      expected.includes(axis) ||
      !(axis === -1 || axis === rankOf(producer) - 1)
    ) {
      return [];
    }
    return [
      {
        message:
          `${site.variant} normalizes axis ${axis}, but ${producer.layer} writes channels first ` +
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

/** Output rank of a convolution: conv2d → 4 (batch, channels and two spatial dims). */
function rankOf(producer: ProducerLayer): number {
  const spatial = /(\d)d/.exec(producerKind(producer) ?? '')?.[1];
  return spatial === undefined ? 0 : Number(spatial) + 2;
}
