import assert from 'node:assert/strict';
import type { PythonNormSite } from '../../../src/core/python/index';
import { extract } from './parse';

const HEADER = [
  'import torch.nn as nn',
  'import torchvision',
  'from functools import partial',
  'from torchvision.ops import Conv2dNormActivation',
  'from torchvision.ops.misc import Conv3dNormActivation as C3',
  '',
].join('\n');

/** The site on line `line` (0-based, counted from the first line after the header). */
function siteOn(sites: readonly PythonNormSite[], line: number): PythonNormSite | undefined {
  const headerLines = HEADER.split('\n').length - 1;
  return sites.find(
    (site) =>
      site.location.type === 'text' && site.location.range.start.line === headerLines + line,
  );
}

describe('python extraction: norm_layer= passed to a library builder', () => {
  it('reports the argument as a site with the builder out_channels as num_features', async () => {
    const body = 'block = Conv2dNormActivation(3, 64, norm_layer=nn.BatchNorm2d)';
    const { sites } = await extract(HEADER + body);
    assert.equal(sites.length, 1);
    const site = siteOn(sites, 0);
    assert.equal(site?.kind, 'batchnorm');
    assert.equal(site?.variant, 'BatchNorm2d');
    assert.equal(site?.callee, 'nn.BatchNorm2d');
    const column = body.indexOf('nn.BatchNorm2d');
    assert.deepEqual(site?.location, {
      type: 'text',
      range: {
        start: { line: 5, character: column },
        end: { line: 5, character: column + 'nn.BatchNorm2d'.length },
      },
    });
    assert.deepEqual(site?.nameRange, site?.location.type === 'text' && site.location.range);
    assert.equal(
      site?.resolvedFrom,
      'Conv2dNormActivation(norm_layer=…) → nn.BatchNorm2d → torch.nn.BatchNorm2d',
    );
    assert.deepEqual(site?.params['num_features'], {
      value: 64,
      source: 'literal',
      expression: '64',
      origin: { start: { line: 5, character: 32 }, end: { line: 5, character: 34 } },
    });
  });

  it('feeds the norm from the builder convolution, without bias by default', async () => {
    const { sites } = await extract(
      HEADER + 'block = Conv2dNormActivation(3, out_channels=32, norm_layer=nn.BatchNorm2d)',
    );
    const producer = siteOn(sites, 0)?.context.producer;
    assert.equal(producer?.layer, 'Conv2d');
    assert.equal(producer?.via, 'builder');
    assert.equal(producer?.outputChannels, 32);
    assert.equal(producer?.useBias, false);
    assert.equal(producer?.disableBias, undefined);
  });

  it('a written bias=True is the producer bias, with an edit turning it off', async () => {
    const body = 'block = Conv2dNormActivation(3, 8, norm_layer=nn.BatchNorm2d, bias=True)';
    const { sites } = await extract(HEADER + body);
    const producer = siteOn(sites, 0)?.context.producer;
    assert.equal(producer?.useBias, true);
    const at = body.indexOf('True');
    assert.deepEqual(producer?.disableBias, {
      range: { start: { line: 5, character: at }, end: { line: 5, character: at + 4 } },
      newText: 'False',
    });
  });

  it('partial(nn.GroupNorm, 4) takes the channels as num_channels', async () => {
    const { sites } = await extract(
      HEADER + 'block = Conv2dNormActivation(3, 16, norm_layer=partial(nn.GroupNorm, 4))',
    );
    const site = siteOn(sites, 0);
    assert.equal(site?.kind, 'groupnorm');
    assert.equal(site?.params['num_groups']?.value, 4);
    assert.equal(site?.params['num_channels']?.value, 16);
  });

  it('follows a norm_layer default through an enclosing function and module constants', async () => {
    const { sites } = await extract(
      HEADER +
        [
          'WIDTH = 16',
          'def stem(cin, norm_layer=nn.InstanceNorm3d):',
          '    return C3(cin, WIDTH * 2, 3, norm_layer=norm_layer)',
        ].join('\n'),
    );
    const site = siteOn(sites, 2);
    assert.equal(site?.kind, 'instancenorm');
    assert.equal(site?.variant, 'InstanceNorm3d');
    assert.equal(site?.params['num_features']?.value, 32);
    assert.equal(site?.context.producer?.layer, 'Conv3d');
    assert.equal(
      site?.resolvedFrom,
      'C3(norm_layer=…) → norm_layer → nn.InstanceNorm3d → torch.nn.InstanceNorm3d',
    );
  });

  it('a model builder gives a site with unknown channels', async () => {
    const { sites } = await extract(
      HEADER + 'model = torchvision.models.resnet50(norm_layer=nn.SyncBatchNorm)',
    );
    const site = siteOn(sites, 0);
    assert.equal(site?.variant, 'SyncBatchNorm');
    assert.deepEqual(site?.params['num_features'], { value: null, source: 'unknown' });
    assert.equal(site?.context.producer, undefined);
  });

  it('norm_layer=None, no norm_layer, and unknown builders give no site', async () => {
    const { sites, unresolved } = await extract(
      HEADER +
        [
          'a = Conv2dNormActivation(3, 8, norm_layer=None)',
          'b = Conv2dNormActivation(3, 8)',
          'c = mylib.Block(3, 8, norm_layer=nn.BatchNorm2d)',
        ].join('\n'),
    );
    assert.deepEqual(sites, []);
    assert.deepEqual(unresolved, []);
  });

  it('a norm layer passed in by the caller is listed as unresolved', async () => {
    const { sites, unresolved } = await extract(
      HEADER + 'def make(norm):\n    return Conv2dNormActivation(3, 8, norm_layer=norm)',
    );
    assert.deepEqual(sites, []);
    assert.deepEqual(
      unresolved.map((u) => [u.callee, u.reason, u.range.start.line]),
      [['Conv2dNormActivation(norm_layer=norm)', 'passed in by the caller', 6]],
    );
  });
});
