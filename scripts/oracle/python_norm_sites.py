#!/usr/bin/python3
"""Independent oracle for NormLens's PyTorch extraction, built on Python's own `ast` module.

Prints one JSON object per normalization call site found under the given paths:
{"path", "line", "column", "kind", "variant"}; line and column are 0-based, the column counts
UTF-16 code units (as the editor does). Counted sites: direct calls of torch/torchvision norm
classes and functional forms, and calls through a local name, parameter or `self.` attribute whose
every non-None value is such a callable (a `norm_layer=` default, `functools.partial`, a dict
literal looked up with a constant key). Also counted: the `norm_layer=` keyword argument of a
call to a torchvision builder that constructs the norm layer itself (`Conv2dNormActivation`, the
ResNet/MobileNet/ViT/Swin/ConvNeXt model classes and functions), when its value is such a callable;
that site is placed at the argument's value. Relative imports are resolved from the file's package.

Usage: /usr/bin/python3 scripts/oracle/python_norm_sites.py ROOT [ROOT...]
where each ROOT is a package directory (its parent is treated as the import root) or a file.
"""
import ast
import json
import os
import sys

KINDS = {}
for dims in ("1d", "2d", "3d"):
    KINDS["BatchNorm" + dims] = "batchnorm"
    KINDS["LazyBatchNorm" + dims] = "batchnorm"
    KINDS["InstanceNorm" + dims] = "instancenorm"
    KINDS["LazyInstanceNorm" + dims] = "instancenorm"
KINDS.update(SyncBatchNorm="batchnorm", LayerNorm="layernorm", GroupNorm="groupnorm",
             RMSNorm="rmsnorm", LocalResponseNorm="lrn", CrossMapLRN2d="lrn")
FUNCTIONAL = {"batch_norm": "batchnorm", "instance_norm": "instancenorm",
              "layer_norm": "layernorm", "group_norm": "groupnorm", "rms_norm": "rmsnorm",
              "local_response_norm": "lrn"}
TORCH_OPS = {"batch_norm", "instance_norm", "layer_norm", "group_norm", "rms_norm"}

# torchvision callables that take `norm_layer=` and call it themselves, by defining module.
MODEL_BUILDERS = {
    "resnet": ["ResNet", "resnet18", "resnet34", "resnet50", "resnet101", "resnet152",
               "resnext50_32x4d", "resnext101_32x8d", "resnext101_64x4d", "wide_resnet50_2",
               "wide_resnet101_2"],
    "mobilenetv2": ["MobileNetV2", "mobilenet_v2"],
    "mobilenetv3": ["MobileNetV3", "mobilenet_v3_large", "mobilenet_v3_small"],
    "vision_transformer": ["VisionTransformer", "vit_b_16", "vit_b_32", "vit_l_16", "vit_l_32",
                           "vit_h_14"],
    "swin_transformer": ["SwinTransformer", "swin_t", "swin_s", "swin_b", "swin_v2_t",
                         "swin_v2_s", "swin_v2_b"],
    "convnext": ["ConvNeXt", "convnext_tiny", "convnext_small", "convnext_base", "convnext_large"],
}
BUILDERS = set()
for module, names in MODEL_BUILDERS.items():
    for name in names:
        BUILDERS.add("torchvision.models." + name)
        BUILDERS.add("torchvision.models." + module + "." + name)
for name in ("Conv2dNormActivation", "Conv3dNormActivation", "MLP"):
    BUILDERS.add("torchvision.ops." + name)
    BUILDERS.add("torchvision.ops.misc." + name)
BUILDERS.add("torchvision.ops.misc.ConvNormActivation")
BUILDERS.add("torchvision.ops.FeaturePyramidNetwork")
BUILDERS.add("torchvision.ops.feature_pyramid_network.FeaturePyramidNetwork")


def norm_of(qualified):
    """(kind, variant) for a fully qualified callable name, or None."""
    module, _, name = qualified.rpartition(".")
    if name in KINDS and module in ("torch.nn", "torch.nn.modules") or (
            name in KINDS and module.startswith("torch.nn.modules.")
            and module.count(".") == 3):
        return KINDS[name], name
    if name == "FrozenBatchNorm2d" and module in ("torchvision.ops", "torchvision.ops.misc"):
        return "batchnorm", name
    if module == "torch.nn.functional" and name in FUNCTIONAL:
        return FUNCTIONAL[name], "F." + name
    if module == "torch" and name in TORCH_OPS:
        return FUNCTIONAL[name], "torch." + name
    return None


def package_of(path, import_root):
    rel = os.path.relpath(path, import_root)[:-3].split(os.sep)
    return rel[:-1] if rel[-1] != "__init__" else rel[:-1]


class FileOracle:
    def __init__(self, path, import_root):
        self.path = path
        with open(path, "rb") as f:
            self.raw = f.read()
        self.lines = self.raw.decode("utf-8", "replace").splitlines(True)
        self.tree = ast.parse(self.raw)
        self.package = package_of(path, import_root) if import_root else []
        self.imports = {}
        self.parents = {}
        for node in ast.walk(self.tree):
            for child in ast.iter_child_nodes(node):
                self.parents[child] = node
            if isinstance(node, ast.Import):
                for alias in node.names:
                    if alias.asname:
                        self.imports[alias.asname] = alias.name
                    else:
                        head = alias.name.split(".")[0]
                        self.imports[head] = head
            elif isinstance(node, ast.ImportFrom):
                module = node.module or ""
                if node.level:
                    base = self.package[:len(self.package) - node.level + 1]
                    module = ".".join(base + ([module] if module else []))
                for alias in node.names:
                    if alias.name != "*":
                        self.imports[alias.asname or alias.name] = module + "." + alias.name
        self.module_values = {}
        counts = {}
        for stmt in self.tree.body:
            if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(
                    stmt.targets[0], ast.Name):
                name = stmt.targets[0].id
                counts[name] = counts.get(name, 0) + 1
                self.module_values[name] = stmt.value
        for name, count in counts.items():
            if count > 1:
                del self.module_values[name]

    def dotted(self, node):
        if isinstance(node, ast.Name):
            return [node.id]
        if isinstance(node, ast.Attribute):
            head = self.dotted(node.value)
            return head + [node.attr] if head else None
        return None

    def qualify(self, parts):
        target = self.imports.get(parts[0])
        return ".".join([target] + parts[1:]) if target else None

    def enclosing(self, node, types):
        node = self.parents.get(node)
        while node is not None and not isinstance(node, types):
            node = self.parents.get(node)
        return node

    def function_values(self, fn, name):
        values = []
        args = fn.args
        positional = args.posonlyargs + args.args
        defaults = [None] * (len(positional) - len(args.defaults)) + list(args.defaults)
        for arg, default in list(zip(positional, defaults)) + list(zip(args.kwonlyargs,
                                                                         args.kw_defaults)):
            if arg.arg == name:
                values.append(default if default is not None else "caller")
        for node in ast.walk(fn):
            if isinstance(node, ast.Assign) and self.enclosing(node, (
                    ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)) is fn:
                for target in node.targets:
                    if isinstance(target, ast.Name) and target.id == name:
                        values.append(node.value)
        return values

    def resolve(self, node, context, depth=0):
        """(kind, variant) the expression denotes as a callable, or None."""
        if depth > 8:
            return None
        parts = self.dotted(node)
        if parts:
            qualified = self.qualify(parts)
            if qualified:
                return norm_of(qualified)
            if len(parts) == 1:
                fn = self.enclosing(context, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
                while fn is not None:
                    if not isinstance(fn, ast.Lambda):
                        values = self.function_values(fn, parts[0])
                        if values:
                            return self.agree(values, fn, depth)
                    fn = self.enclosing(fn, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda))
                if parts[0] in self.module_values:
                    return self.resolve(self.module_values[parts[0]], self.tree, depth + 1)
                return self.subclass(parts[0], depth)
            if len(parts) == 2 and parts[0] == "self":
                cls = self.enclosing(context, ast.ClassDef)
                if cls is None:
                    return None
                values = [n.value for n in ast.walk(cls) if isinstance(n, ast.Assign)
                          for t in n.targets if self.dotted(t) == parts]
                return self.agree(values, None, depth) if values else None
            return None
        if isinstance(node, ast.Call):
            func = self.dotted(node.func)
            if func and self.qualify(func) == "functools.partial" and node.args:
                return self.resolve(node.args[0], node, depth + 1)
            return None
        if isinstance(node, ast.Subscript):
            container = node.value
            if isinstance(container, ast.Name) and container.id in self.module_values:
                container = self.module_values[container.id]
            key = node.slice.value if isinstance(node.slice, ast.Index) else node.slice
            if isinstance(container, ast.Dict) and isinstance(key, ast.Constant):
                for k, v in zip(container.keys, container.values):
                    if isinstance(k, ast.Constant) and k.value == key.value:
                        return self.resolve(v, node, depth + 1)
        return None

    def agree(self, values, fn, depth):
        found = None
        for value in values:
            if value == "caller":
                return None
            if isinstance(value, ast.Constant) and value.value is None:
                continue
            resolved = self.resolve(value, value, depth + 1)
            if resolved is None or (found and found != resolved):
                return None
            found = resolved
        return found

    def subclass(self, name, depth):
        for stmt in self.tree.body:
            if isinstance(stmt, ast.ClassDef) and stmt.name == name:
                for base in stmt.bases:
                    resolved = self.resolve(base, stmt, depth + 1)
                    if resolved:
                        return resolved
        return None

    def utf16_column(self, line, byte_column):
        prefix = self.lines[line - 1].encode("utf-8")[:byte_column].decode("utf-8", "replace")
        return len(prefix.encode("utf-16-le")) // 2

    def site(self, node, resolved):
        return {"path": self.path, "line": node.lineno - 1,
                "column": self.utf16_column(node.lineno, node.col_offset),
                "kind": resolved[0], "variant": resolved[1]}

    def builder_site(self, call):
        """The site of a builder call's `norm_layer=` argument, or None."""
        func = self.dotted(call.func)
        if not func or self.qualify(func) not in BUILDERS:
            return None
        for keyword in call.keywords:
            if keyword.arg == "norm_layer":
                resolved = self.resolve(keyword.value, keyword.value)
                return self.site(keyword.value, resolved) if resolved else None
        return None

    def sites(self):
        for node in ast.walk(self.tree):
            if isinstance(node, ast.Call):
                resolved = self.resolve(node.func, node)
                if resolved:
                    yield self.site(node, resolved)
                    continue
                built = self.builder_site(node)
                if built:
                    yield built


def python_files(root):
    if os.path.isfile(root):
        yield root, None
        return
    import_root = os.path.dirname(os.path.abspath(root))
    for directory, _, files in os.walk(root):
        for name in sorted(files):
            if name.endswith(".py"):
                yield os.path.join(directory, name), import_root


def main(roots):
    for root in roots:
        for path, import_root in python_files(root):
            try:
                oracle = FileOracle(path, import_root)
            except (SyntaxError, ValueError) as error:
                print(json.dumps({"path": path, "error": str(error)}))
                continue
            for site in oracle.sites():
                print(json.dumps(site))


if __name__ == "__main__":
    main(sys.argv[1:])
