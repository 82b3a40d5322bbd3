/**
 * Protobuf-aware mutations of ONNX models (length prefixes, duplicated and huge repeated fields,
 * wrong wire types, absurd varints and dims) and generated models with subgraphs nested thousands
 * of levels deep. Field numbers are ONNX's (onnx.proto); the mutators find fields by scanning.
 */
import { BYTE_MUTATORS } from './mutate-bytes';
import type { Prng } from './prng';
import { allFields, concat, delimited, splice, tag, varint, type WireField } from './wire';

/** Varints that cross the limits a reader checks (sign, 2^31, 2^32, 2^53, 2^62, 2^63). */
const ABSURD: readonly bigint[] = [
  0n,
  1n,
  -1n,
  2n ** 31n - 1n,
  2n ** 31n,
  2n ** 32n,
  2n ** 32n + 8n,
  2n ** 40n + 1n,
  2n ** 53n + 1n,
  2n ** 62n,
  2n ** 63n - 1n,
  -(2n ** 63n),
];

/** Tensor dims (TensorProto.dims) and shape dims (Dimension.dim_value), by field path suffix. */
function isDimField(f: WireField): boolean {
  const [parent, own] = f.path.slice(-2);
  const grand = f.path[f.path.length - 3];
  // TensorProto.dims under GraphProto.initializer or AttributeProto.t (not AttributeProto.name).
  const tensorDims = own === 1 && parent === 5 && grand !== 1;
  const shapeDim = own === 1 && parent === 1 && f.path.length >= 6 && f.wireType === 0;
  return (tensorDims || shapeDim) && (f.wireType === 0 || f.wireType === 2);
}

/** A mutation of one field; `scale` shrinks what the size-growing ones add (1 is full size). */
type FieldMutation = (bytes: Uint8Array, f: WireField, random: Prng, scale: number) => Uint8Array;

function replaceField(bytes: Uint8Array, f: WireField, replacement: Uint8Array): Uint8Array {
  return splice(bytes, f.ancestors, f.start, f.end, replacement);
}

/** Rewrites a length prefix without fixing anything around it. */
const lengthField: FieldMutation = (bytes, f, random) => {
  const length = f.end - f.payloadStart;
  const options = [
    varint(length + 1),
    varint(Math.max(0, length - 1)),
    varint(0),
    varint(length * 2 + 7),
    varint(2 ** 31 - 1),
    varint(2 ** 32 + length),
    // An overlong encoding of the same length (five bytes instead of one or two).
    Uint8Array.from([(length & 0x7f) | 0x80, ((length >> 7) & 0x7f) | 0x80, 0x80, 0x80, 0x00]),
  ];
  return concat(
    bytes.subarray(0, f.valueStart),
    random.pick(options),
    bytes.subarray(f.payloadStart),
  );
};

/** Shortens or extends a payload and fixes every enclosing length. */
const resizePayload: FieldMutation = (bytes, f, random) => {
  const payload = bytes.subarray(f.payloadStart, f.end);
  const next = random.chance(0.5)
    ? payload.subarray(0, random.below(payload.length + 1))
    : concat(payload, random.bytes(random.between(1, 16)));
  return replaceField(
    bytes,
    f,
    concat(bytes.subarray(f.start, f.valueStart), varint(next.length), next),
  );
};

const duplicateField: FieldMutation = (bytes, f, random) => {
  const one = bytes.subarray(f.start, f.end);
  return replaceField(bytes, f, concat(...new Array<Uint8Array>(random.between(2, 4)).fill(one)));
};

/** Repeats one field thousands of times (capped at about 8 MB of output at scale 1). */
const hugeRepeated: FieldMutation = (bytes, f, random, scale) => {
  const one = bytes.subarray(f.start, f.end);
  const cap = Math.max(1, Math.floor(((8 << 20) * scale) / Math.max(1, one.length)));
  const times = Math.min(cap, Math.max(1, Math.round(random.between(2_000, 60_000) * scale)));
  const out = new Uint8Array(one.length * times);
  for (let k = 0; k < times; k++) {
    out.set(one, k * one.length);
  }
  return replaceField(bytes, f, out);
};

const deleteField: FieldMutation = (bytes, f) => replaceField(bytes, f, new Uint8Array(0));

const wrongWireType: FieldMutation = (bytes, f, random) => {
  const wireType = (f.wireType + random.between(1, 7)) % 8;
  return concat(bytes.subarray(0, f.start), tag(f.field, wireType), bytes.subarray(f.valueStart));
};

/** Sets a varint field (or a packed list) to absurd values, keeping the message well-formed. */
const absurdVarint: FieldMutation = (bytes, f, random) => {
  if (f.wireType === 2) {
    const count = random.between(1, 6);
    const list = concat(...Array.from({ length: count }, () => varint(random.pick(ABSURD))));
    return replaceField(bytes, f, delimited(f.field, list));
  }
  return replaceField(bytes, f, concat(tag(f.field, 0), varint(random.pick(ABSURD))));
};

/** One protobuf-aware mutation: picks a fitting field and applies `mutation` to it. */
interface FieldMutator {
  readonly name: string;
  readonly fits: (f: WireField) => boolean;
  readonly mutate: FieldMutation;
}

const FIELD_MUTATORS: readonly FieldMutator[] = [
  { name: 'length-field', fits: (f) => f.wireType === 2, mutate: lengthField },
  { name: 'resize-payload', fits: (f) => f.wireType === 2, mutate: resizePayload },
  { name: 'duplicate-field', fits: () => true, mutate: duplicateField },
  { name: 'huge-repeated', fits: (f) => f.path.length >= 2, mutate: hugeRepeated },
  { name: 'delete-field', fits: () => true, mutate: deleteField },
  { name: 'wrong-wire-type', fits: () => true, mutate: wrongWireType },
  { name: 'absurd-varint', fits: (f) => f.wireType === 0, mutate: absurdVarint },
  { name: 'absurd-dims', fits: isDimField, mutate: absurdVarint },
];

/**
 * Applies one to three mutations (field-aware or byte-level) and names them; `scale` (1 = full
 * size) shrinks huge repeated fields, drawing the same random numbers whatever the scale.
 */
export function mutateOnnx(
  seed: Uint8Array,
  random: Prng,
  scale = 1,
): { bytes: Uint8Array; steps: string[] } {
  let bytes = seed;
  const steps: string[] = [];
  const rounds = random.between(1, 3);
  for (let round = 0; round < rounds; round++) {
    if (random.chance(0.3)) {
      const mutator = random.pick(BYTE_MUTATORS);
      bytes = mutator.apply(bytes, random);
      steps.push(mutator.name);
      continue;
    }
    const fields = allFields(bytes);
    const mutator = random.pick(FIELD_MUTATORS);
    const fitting = fields.filter(mutator.fits);
    if (fitting.length === 0) {
      continue;
    }
    // Absurd dims should reach a rule, so the mutator keeps the rest of the model intact.
    bytes = mutator.mutate(bytes, random.pick(fitting), random, scale);
    steps.push(mutator.name);
  }
  return { bytes, steps };
}

function stringField(field: number, value: string): Uint8Array {
  return delimited(field, new TextEncoder().encode(value));
}

/**
 * A model whose graph nests `levels` If (then_branch) or Loop (body) subgraphs, the innermost
 * holding a BatchNormalization. Written level by level from the outside in, so building a
 * 10,000-level model takes linear time and no recursion.
 */
export function deeplyNested(levels: number, op: 'If' | 'Loop'): Uint8Array {
  const innermost = concat(
    stringField(2, 'inner'),
    delimited(
      1,
      concat(
        stringField(1, 'x'),
        stringField(1, 's'),
        stringField(1, 'b'),
        stringField(1, 'm'),
        stringField(1, 'v'),
        stringField(2, 'y'),
        stringField(4, 'BatchNormalization'),
      ),
    ),
  );
  const attributeName = stringField(1, op === 'If' ? 'then_branch' : 'body');
  const attributeType = concat(tag(20, 0), varint(5));
  const nodeHead = concat(stringField(1, 'c'), stringField(2, 'o'), stringField(4, op));
  const graphHead = stringField(2, 'g');
  // Lengths from the inside out, then headers from the outside in.
  const heads: Uint8Array[] = [];
  let length = innermost.length;
  for (let level = 0; level < levels; level++) {
    const attribute = concat(attributeName, attributeType, tag(6, 2), varint(length));
    const attributeLength = attribute.length + length;
    const node = concat(nodeHead, tag(5, 2), varint(attributeLength));
    const nodeLength = node.length + attributeLength;
    const graph = concat(graphHead, tag(1, 2), varint(nodeLength));
    length = graph.length + nodeLength;
    heads.push(concat(graph, node, attribute));
  }
  heads.reverse();
  const opset = delimited(8, concat(stringField(1, ''), tag(2, 0), varint(17)));
  return concat(tag(1, 0), varint(8), opset, tag(7, 2), varint(length), ...heads, innermost);
}
