"""Read (never run) the cells a student wrote, for a human to look at and for ForbiddenCall.

Grades no longer depend on what these scans find, except one rule: an exercise whose own cell
uses an nnkit function its `nnkit.may_use` does not list scores 0 (`forbidden_uses`; the grading
copy of nnkit refuses such calls at run time too, see nnkit.grading.kitcopy). Everything else a
submission does inside the sandbox cannot change its verdict or anything outside its scratch
copy; `flags` still names what a student has no reason to write in an exercise (exec, getattr,
importlib, subprocess, sqlite3, get_ipython, signals, file writes, IPython magics, ...), so the
report points the instructor at attempts, and at cells it cannot parse.
"""
import ast

from ..grading import kitcopy

FLAG_NAMES = {"exec", "eval", "compile", "getattr", "setattr", "delattr", "vars", "globals", "locals",
              "__import__", "get_ipython", "breakpoint", "__builtins__"}
FLAG_ATTRS = {"__code__", "__globals__", "__builtins__", "__dict__", "__subclasses__", "__closure__",
              "modules", "kill", "killpg", "fork", "_exit", "system", "popen", "settrace", "setprofile",
              "write_text", "write_bytes", "unlink", "remove", "rename", "replace", "rmtree", "chmod",
              "events", "ast_transformers", "input_transformers_post", "register_magic_function"}
FLAG_MODULES = {"importlib", "subprocess", "sqlite3", "signal", "ctypes", "socket", "multiprocessing",
                "threading", "shutil", "builtins", "inspect", "gc", "marshal", "pickle", "pty", "resource",
                "types", "sys", "os", "pathlib", "io", "glob"}
WRITE_MODES = set("wax+")


def parse(code):
    """(tree, magics): the cell parsed as Python, IPython magics and shell lines set aside."""
    try:
        return ast.parse(code), []
    except SyntaxError:
        pass
    magics = [line.strip() for line in code.splitlines() if line.lstrip().startswith(("%", "!"))]
    try:
        from IPython.core.inputtransformer2 import TransformerManager
        return ast.parse(TransformerManager().transform_cell(code)), magics
    except (SyntaxError, ValueError, ImportError):
        return None, magics


def _opens_for_writing(node):
    mode = node.args[1] if len(node.args) > 1 else next((k.value for k in node.keywords if k.arg == "mode"), None)
    if mode is None:
        return False
    return not isinstance(mode, ast.Constant) or bool(WRITE_MODES & set(str(mode.value)))


def flags(code):
    """Sorted descriptions of what in `code` deserves a look."""
    tree, magics = parse(code)
    found = {f"uses IPython magic {m.split()[0]}" for m in magics}
    if tree is None:
        return sorted(found | {"cannot be parsed (the grader ran it, but could not scan it)"})
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id in FLAG_NAMES:
            found.add(f"uses {node.id}")
        elif isinstance(node, ast.Attribute) and node.attr in FLAG_ATTRS:
            found.add(f"uses .{node.attr}")
        elif isinstance(node, ast.Import):
            found |= {f"imports {a.name}" for a in node.names if a.name.split(".")[0] in FLAG_MODULES}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] in FLAG_MODULES:
            found.add(f"imports from {node.module}")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "open":
            found.add("writes a file" if _opens_for_writing(node) else "reads a file")
        elif isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id == "nnkit" \
                and isinstance(getattr(node, "ctx", None), (ast.Store, ast.Del)):
            found.add(f"assigns {ast.unparse(node)}")
    return sorted(found)


def _aliases(tree):
    """{name in the cell: dotted nnkit name it stands for} ("nnkit" itself is always known)."""
    names = {"nnkit": ""}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] == "nnkit":
                    inner = alias.name.removeprefix("nnkit").lstrip(".")
                    names[alias.asname or "nnkit"] = inner if alias.asname else ""
        elif isinstance(node, ast.ImportFrom) and (node.module or "").split(".")[0] == "nnkit":
            base = node.module.removeprefix("nnkit").lstrip(".")
            names.update({a.asname or a.name: f"{base}.{a.name}".lstrip(".") for a in node.names})
    return names


def _chain(node):
    parts = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return (node.id, parts[::-1]) if isinstance(node, ast.Name) else (None, [])


def _resolve(dotted):
    """The canonical name of the longest existing prefix of `dotted`, or None (a module or nothing)."""
    parts = dotted.split(".")
    for end in range(len(parts), 0, -1):
        try:
            name = kitcopy.canonical(".".join(parts[:end]))
        except ValueError:
            continue
        import nnkit
        obj = nnkit
        for part in parts[:end]:
            obj = getattr(obj, part, None)
        return None if obj is None or type(obj).__name__ == "module" or not callable(obj) else name
    return None


def forbidden_uses(code, allowed):
    """Canonical names of the nnkit functions `code` refers to that `allowed` does not cover."""
    tree, _ = parse(code)
    if tree is None:
        return []
    aliases, used = _aliases(tree), set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Attribute, ast.Name)) and not isinstance(node.ctx, (ast.Store, ast.Del)):
            root, parts = _chain(node) if isinstance(node, ast.Attribute) else (node.id, [])
            if root in aliases and (parts or aliases[root]):
                name = _resolve(".".join(filter(None, [aliases[root], *parts])))
                if name:
                    used.add(name)
    allowed = {_canonical_or_self(a) for a in allowed}   # may_use says `forward`, the guard homework.forward
    return sorted(name for name in used
                  if not any(name == a or name.startswith(a + ".") for a in allowed))


def _canonical_or_self(name):
    try:
        return kitcopy.canonical(name)
    except ValueError:
        return name


def suspicious_cells(cells):
    """[(cell key, [flags])] for the student-written cells among the executed `cells`."""
    return [(cell["key"], found) for cell in cells if cell["kind"] == "student" and (found := flags(cell["source"]))]
