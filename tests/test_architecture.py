"""The package's layers import one way (docs/architecture.md): the math at the top of nnkit/
never imports the pictures, the playgrounds, grading or the course tools; pictures and
playgrounds never import grading; grading never draws. Read from the source, every import
statement (also those inside functions)."""
import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "nnkit"
SUBPACKAGES = ("viz", "widgets", "grading", "course")
# layer: the layers it may import from ("math" = the modules directly in nnkit/)
MAY_IMPORT = {
    "math": {"math"},
    "viz": {"math", "viz"},
    "widgets": {"math", "viz", "widgets"},
    "grading": {"math", "grading", "course"},
    "course": {"math", "grading", "course"},
}


def layer_of(module):
    """"math", "viz", ... for a dotted module name inside nnkit."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in SUBPACKAGES else "math"


def module_name(path):
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def nnkit_imports(path):
    """The nnkit modules that `path` imports, as dotted names (relative imports resolved)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name.split(".")[0] == "nnkit"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] == "nnkit":
                # `from . import validate` imports a module: its name is the one that counts
                found += [f"{target}.{alias.name}" if not node.module else target for alias in node.names]
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_go_one_way(path):
    layer = layer_of(module_name(path))
    wrong = [m for m in nnkit_imports(path) if layer_of(m) not in MAY_IMPORT[layer]]
    assert not wrong, f"{path.relative_to(PACKAGE)} ({layer}) imports {wrong}; see docs/architecture.md"


def test_the_import_reader_sees_relative_and_absolute_imports():
    assert layer_of("nnkit.viz.diagram") == "viz" and layer_of("nnkit.mlp") == "math"
    diagram = nnkit_imports(PACKAGE / "viz" / "diagram.py")
    assert "nnkit.validate" in diagram and "nnkit.mlp" in diagram


def test_importing_nnkit_loads_no_pictures_playgrounds_or_grading():
    """`import nnkit` is the math alone: matplotlib, ipywidgets and nbgrader load only with
    nnkit.viz, nnkit.widgets and nnkit.course."""
    code = ("import sys, nnkit; print(sorted(m for m in sys.modules if m.split('.')[0] in "
            "{'matplotlib', 'ipywidgets', 'nbgrader'} or m.startswith(('nnkit.viz', 'nnkit.widgets', "
            "'nnkit.grading', 'nnkit.course'))))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"
