"""Spot answers that tamper with what the tests rely on, for a human to look at.

The hidden tests decide in a fresh process (`nnkit.grading.verify`), so replacing np.allclose,
nnkit.backward or the feedback helpers in the kernel earns nothing. What a kernel cannot defend
is the test's own name for that judge: an answer cell that says `verify = lambda *a, **k: None`
passes every later test. So `tampering` reads each answer cell (it never runs it) and lists, at
the cell's top level, every rebinding of a name a locked cell defined (`verify`, `params`,
`check_function`, ...) that a test cell reads and the instructor's own answer does not bind, every assignment into
an imported module (`np.allclose = ...`, `nnkit.grading.verify = ...`), and every use of the tools that reach around names (`setattr`,
`globals`, `builtins`, `sys.modules`, `__import__`). Function bodies are not "top level" unless
they declare `global`, so ordinary answers are not flagged.
"""
import ast

REACH_AROUND = {"setattr", "globals", "builtins", "__builtins__", "__import__", "modules", "set_custom_exc"}


def _top_level(tree):
    """Statements that run at the cell's top level, plus function bodies that declare `global`."""
    pending = list(tree.body)
    while pending:
        node = pending.pop()
        yield node
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            body = node.body if isinstance(node.body, list) else [node.body]
            if any(isinstance(inner, ast.Global) for inner in ast.walk(node)):
                pending.extend(body)
            continue
        pending.extend(ast.iter_child_nodes(node))


def _parse(code):
    try:
        return ast.parse(code)
    except SyntaxError:  # IPython magics or a half-written answer: nothing to say
        return None


def bindings(code):
    """{name: bound by an import?} for the names a cell binds at its top level."""
    tree = _parse(code)
    found = {}
    for node in _top_level(tree) if tree else ():
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            found.update({(alias.asname or alias.name).split(".")[0]: True for alias in node.names})
        elif isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            found[node.id] = False
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            found[node.name] = False
        elif isinstance(node, ast.Global):
            found.update(dict.fromkeys(node.names, False))
    return found


def used_names(code):
    """Names a cell reads."""
    tree = _parse(code)
    return {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)} if tree else set()


def _root(node):
    while isinstance(node, (ast.Attribute, ast.Subscript)):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None


def tampering(code, protected, modules):
    """Sorted descriptions of what `code` does to the names the tests rely on.

    protected: names the locked cells bind and the test cells read; modules: the names the
    locked cells import (np, nnkit, ...). Importing a name again is not tampering.
    """
    tree = _parse(code)
    if tree is None:
        return []
    found = {f"rebinds {name}" for name, by_import in bindings(code).items()
             if name in protected and not by_import}
    for node in _top_level(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Store) and _root(node) in modules:
            found.add(f"assigns {ast.unparse(node)}")
        elif isinstance(node, ast.Name) and node.id in REACH_AROUND:
            found.add(f"uses {node.id}")
        elif isinstance(node, ast.Attribute) and node.attr in REACH_AROUND:
            found.add(f"uses {ast.unparse(node)}")
    return sorted(found)


def _meta(cell):
    return cell.get("metadata", {}).get("nbgrader", {})


def _code(cell):
    source = cell.get("source", "")
    return "".join(source) if isinstance(source, list) else str(source)


def suspicious_cells(submission, source):
    """[(cell, [what it does])] for the cells of `submission` a student could write in.

    Both are notebook dicts; `source` is the instructor's. Locked cells are skipped: nbgrader
    puts the originals back before grading.
    """
    code = [cell for cell in source["cells"] if cell.get("cell_type") == "code"]
    locked = [cell for cell in code if _meta(cell).get("locked")]
    bound = {name: by_import for cell in locked for name, by_import in bindings(_code(cell)).items()}
    read_by_tests = set().union(*(used_names(_code(cell)) for cell in code if _meta(cell).get("grade")))
    protected = set(bound) & read_by_tests
    modules = {name for name, by_import in bound.items() if by_import}
    answers = {_meta(cell)["grade_id"]: set(bindings(_code(cell))) for cell in code if _meta(cell).get("solution")}
    locked_ids = {_meta(cell)["grade_id"] for cell in locked}
    found = []
    for number, cell in enumerate(submission["cells"], start=1):
        grade_id = _meta(cell).get("grade_id")
        if cell.get("cell_type") != "code" or grade_id in locked_ids:
            continue
        what = tampering(_code(cell), protected - answers.get(grade_id, set()), modules)
        if what:
            found.append((grade_id or f"added cell #{number}", what))
    return found
