"""Dump the real signatures of PyTorch/torchvision normalization APIs to JSON.

Run with Debian's torch:  /usr/bin/python3 test/unit/norms/torch-signatures.py > test/unit/norms/torch-signatures.json
The descriptor tests compare NormLens' positional order and defaults against this file.
"""
import inspect
import json
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision

MODULES = {
    "BatchNorm1d": nn.BatchNorm1d, "BatchNorm2d": nn.BatchNorm2d, "BatchNorm3d": nn.BatchNorm3d,
    "LazyBatchNorm1d": nn.LazyBatchNorm1d, "LazyBatchNorm2d": nn.LazyBatchNorm2d,
    "LazyBatchNorm3d": nn.LazyBatchNorm3d, "SyncBatchNorm": nn.SyncBatchNorm,
    "InstanceNorm1d": nn.InstanceNorm1d, "InstanceNorm2d": nn.InstanceNorm2d,
    "InstanceNorm3d": nn.InstanceNorm3d, "LazyInstanceNorm1d": nn.LazyInstanceNorm1d,
    "LazyInstanceNorm2d": nn.LazyInstanceNorm2d, "LazyInstanceNorm3d": nn.LazyInstanceNorm3d,
    "LayerNorm": nn.LayerNorm, "GroupNorm": nn.GroupNorm, "LocalResponseNorm": nn.LocalResponseNorm,
    "CrossMapLRN2d": nn.CrossMapLRN2d, "FrozenBatchNorm2d": torchvision.ops.FrozenBatchNorm2d,
}
FUNCTIONS = {
    "F.batch_norm": F.batch_norm, "F.instance_norm": F.instance_norm, "F.layer_norm": F.layer_norm,
    "F.group_norm": F.group_norm, "F.local_response_norm": F.local_response_norm, "F.normalize": F.normalize,
}
ATEN = ["batch_norm", "instance_norm", "layer_norm", "group_norm"]


def encode(value):
    if value is inspect.Parameter.empty:
        return {"required": True}
    if isinstance(value, float) and math.isinf(value):
        return {"default": str(value)}
    return {"default": value}


def from_inspect(fn, skip_self):
    out = []
    for p in inspect.signature(fn).parameters.values():
        if skip_self and p.name == "self":
            continue
        out.append({"name": p.name, "keywordOnly": p.kind == p.KEYWORD_ONLY, **encode(p.default)})
    return out


def from_schema(op):
    schema = torch._C._jit_get_schemas_for_operator("aten::" + op)[0]
    out = []
    for a in schema.arguments:
        entry = {"name": a.name, "keywordOnly": a.kwarg_only}
        entry.update({"required": True} if a.default_value is None and not a.has_default_value() else {"default": a.default_value})
        out.append(entry)
    return out


result = {"torch": torch.__version__, "torchvision": torchvision.__version__, "signatures": {}}
for name, cls in MODULES.items():
    result["signatures"][name] = from_inspect(cls.__init__, True)
for name, fn in FUNCTIONS.items():
    result["signatures"][name] = from_inspect(fn, False)
for op in ATEN:
    result["signatures"]["torch." + op] = from_schema(op)
print(json.dumps(result, indent=1))
