/**
 * The papers descriptors cite. Each is written once here so that titles, authors and arXiv ids
 * cannot drift between kinds; descriptors pick the ones their claims rest on.
 */
import type { Citation } from './types';

/** Keys are the short labels used in descriptor claims. */
export const CITATIONS = {
  batchNorm: {
    title:
      'Batch Normalization: Accelerating Deep Network Training by Reducing Internal Covariate Shift',
    authors: 'Sergey Ioffe, Christian Szegedy',
    year: 2015,
    arxiv: '1502.03167',
  },
  layerNorm: {
    title: 'Layer Normalization',
    authors: 'Jimmy Lei Ba, Jamie Ryan Kiros, Geoffrey E. Hinton',
    year: 2016,
    arxiv: '1607.06450',
  },
  instanceNorm: {
    title: 'Instance Normalization: The Missing Ingredient for Fast Stylization',
    authors: 'Dmitry Ulyanov, Andrea Vedaldi, Victor Lempitsky',
    year: 2016,
    arxiv: '1607.08022',
  },
  groupNorm: {
    title: 'Group Normalization',
    authors: 'Yuxin Wu, Kaiming He',
    year: 2018,
    arxiv: '1803.08494',
  },
  rmsNorm: {
    title: 'Root Mean Square Layer Normalization',
    authors: 'Biao Zhang, Rico Sennrich',
    year: 2019,
    arxiv: '1910.07467',
  },
  adaIn: {
    title: 'Arbitrary Style Transfer in Real-time with Adaptive Instance Normalization',
    authors: 'Xun Huang, Serge Belongie',
    year: 2017,
    arxiv: '1703.06868',
  },
  batchRenorm: {
    title:
      'Batch Renormalization: Towards Reducing Minibatch Dependence in Batch-Normalized Models',
    authors: 'Sergey Ioffe',
    year: 2017,
    arxiv: '1702.03275',
  },
  rethinkingBatch: {
    title: 'Rethinking "Batch" in BatchNorm',
    authors: 'Yuxin Wu, Justin Johnson',
    year: 2021,
    arxiv: '2105.07576',
  },
  dropoutVarianceShift: {
    title: 'Understanding the Disharmony between Dropout and Batch Normalization by Variance Shift',
    authors: 'Xiang Li, Shuo Chen, Xiaolin Hu, Jian Yang',
    year: 2019,
    arxiv: '1801.05134',
  },
  powerNorm: {
    title: 'PowerNorm: Rethinking Batch Normalization in Transformers',
    authors: 'Sheng Shen, Zhewei Yao, Amir Gholami, Michael W. Mahoney, Kurt Keutzer',
    year: 2020,
    arxiv: '2003.07845',
  },
  preLayerNorm: {
    title: 'On Layer Normalization in the Transformer Architecture',
    authors: 'Ruibin Xiong et al.',
    year: 2020,
    arxiv: '2002.04745',
  },
  largeMinibatch: {
    title: 'Accurate, Large Minibatch SGD: Training ImageNet in 1 Hour',
    authors: 'Priya Goyal et al.',
    year: 2017,
    arxiv: '1706.02677',
  },
  megDet: {
    title: 'MegDet: A Large Mini-Batch Object Detector',
    authors: 'Chao Peng et al.',
    year: 2018,
    arxiv: '1711.07240',
  },
  mixedPrecision: {
    title: 'Mixed Precision Training',
    authors: 'Paulius Micikevicius et al.',
    year: 2018,
    arxiv: '1710.03740',
  },
  adaBn: {
    title: 'Revisiting Batch Normalization For Practical Domain Adaptation',
    authors: 'Yanghao Li, Naiyan Wang, Jianping Shi, Jiaying Liu, Xiaodi Hou',
    year: 2016,
    arxiv: '1603.04779',
  },
  recurrentBn: {
    title: 'Recurrent Batch Normalization',
    authors: 'Tim Cooijmans et al.',
    year: 2016,
    arxiv: '1603.09025',
  },
  convNext: {
    title: 'A ConvNet for the 2020s',
    authors: 'Zhuang Liu et al.',
    year: 2022,
    arxiv: '2201.03545',
  },
  weightStandardization: {
    title: 'Micro-Batch Training with Batch-Channel Normalization and Weight Standardization',
    authors: 'Siyuan Qiao, Huiyu Wang, Chenxi Liu, Wei Shen, Alan Yuille',
    year: 2019,
    arxiv: '1903.10520',
  },
  alexNet: {
    title: 'ImageNet Classification with Deep Convolutional Neural Networks',
    authors: 'Alex Krizhevsky, Ilya Sutskever, Geoffrey E. Hinton',
    year: 2012,
  },
} as const satisfies Record<string, Citation>;

/**
 * The short label a claim uses for a citation: "(Wu & He, 2018)", "(Ioffe, 2017)",
 * "(Goyal et al., 2017)". Tests check that every label in a descriptor's text resolves.
 */
export function citeLabel(citation: Citation): string {
  const surname = (person: string): string => person.trim().split(' ').at(-1) ?? person;
  const first = citation.authors.split(',')[0] ?? citation.authors;
  if (citation.authors.endsWith(' et al.')) {
    return `(${surname(citation.authors.slice(0, -' et al.'.length))} et al., ${citation.year})`;
  }
  const people = citation.authors.split(',');
  if (people.length === 1) {
    return `(${surname(first)}, ${citation.year})`;
  }
  if (people.length === 2) {
    return `(${surname(first)} & ${surname(people[1] ?? '')}, ${citation.year})`;
  }
  return `(${surname(first)} et al., ${citation.year})`;
}
