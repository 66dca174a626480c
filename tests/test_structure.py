"""The shape of the code, as the issue "One clear house for diagnostics" asks for it: modules a
newcomer can read (at most 500 lines, migrations aside), imports at the top of a module (no
`noqa: E402`), and apps whose modules never import each other in a circle — not even through an
import inside a function, which only hides the circle until the function runs."""

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
APPS = ("lms", "diagnostics", "library", "courses", "forums")
MAX_LINES = 500
E402 = re.compile(r"noqa\s*:[^\n]*\bE402\b")


def app_files(*, migrations: bool = True) -> list[Path]:
    files = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if not migrations and "migrations" in path.relative_to(ROOT).parts:
                continue
            files.append(path)
    return files


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_package(path: Path) -> bool:
    return path.name == "__init__.py"


def import_graph() -> dict[str, set[str]]:
    """module -> the app modules it imports, anywhere in its body (functions included).

    `import a.b` is an edge to `a.b`; `from pkg import name` is an edge to `pkg.name` when that
    is a module, else to `pkg`; relative imports are resolved against the importing module; a
    package's `__init__` importing its own submodules is an edge like any other."""
    paths = {module_name(path): path for path in app_files()}
    known = set(paths)
    graph: dict[str, set[str]] = {name: set() for name in known}

    def nearest_known(dotted: str) -> str | None:
        while dotted and dotted not in known:
            dotted = dotted.rpartition(".")[0]
        return dotted or None

    for name, path in paths.items():
        package = name if _is_package(path) else name.rpartition(".")[0]
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            targets = []
            if isinstance(node, ast.Import):
                targets = [nearest_known(alias.name) for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")
                    base = base[: len(base) - (node.level - 1)]
                    source = ".".join(base + ([node.module] if node.module else []))
                else:
                    source = node.module or ""
                for alias in node.names:
                    submodule = f"{source}.{alias.name}"
                    targets.append(submodule if submodule in known else nearest_known(source))
            graph[name].update(t for t in targets if t and t != name)
    return graph


def strongly_connected(graph: dict[str, set[str]]) -> list[list[str]]:
    """Tarjan's algorithm (iterative): the groups of modules that reach each other."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    components = []
    counter = 0
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = counter
        counter += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter
                    counter += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.append(member)
                        if member == node:
                            break
                    if len(component) > 1:
                        components.append(sorted(component))
    return components


def shortest_cycle(graph: dict[str, set[str]], start: str, within: set[str]) -> list[str]:
    """start -> ... -> start, the fewest imports, staying inside its component."""
    previous = {start: None}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for child in sorted(graph[node] & within):
            if child == start:
                path = [node]
                while previous[path[-1]] is not None:
                    path.append(previous[path[-1]])
                return [start, *reversed(path[:-1]), start] if len(path) > 1 else [start, start]
            if child not in previous:
                previous[child] = node
                queue.append(child)
    return []


def import_cycles() -> list[str]:
    graph = import_graph()
    found = []
    for component in strongly_connected(graph):
        members = set(component)
        # One circle through each module of the group, without repeating a circle.
        seen = set()
        for module in component:
            cycle = shortest_cycle(graph, module, members)
            key = frozenset(cycle)
            if cycle and key not in seen:
                seen.add(key)
                found.append(" -> ".join(cycle))
    return found


# --- the rules ------------------------------------------------------------------------------


def test_no_module_of_an_app_is_over_500_lines():
    too_long = [
        f"{path.relative_to(ROOT)}: {lines} lines"
        for path in app_files(migrations=False)
        if (lines := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    ]
    assert not too_long, "split these modules by concern:\n" + "\n".join(too_long)


def test_imports_stand_at_the_top_of_every_module():
    late = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in app_files()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if E402.search(line)
    ]
    assert not late, "imports below code (noqa: E402):\n" + "\n".join(late)


def test_no_import_cycle_between_modules_of_the_apps():
    cycles = import_cycles()
    assert not cycles, f"{len(cycles)} import cycle(s):\n" + "\n".join(cycles)


# --- the checker itself ---------------------------------------------------------------------


def test_the_checker_finds_a_cycle_through_a_function_level_import(tmp_path, monkeypatch):
    package = tmp_path / "lms"
    package.mkdir()
    (package / "__init__.py").write_text("from lms import a\n")
    (package / "a.py").write_text("from lms.b import thing\n")
    (package / "b.py").write_text("thing = 1\n\ndef later():\n    from . import c\n")
    (package / "c.py").write_text("import lms.a\n")
    (package / "d.py").write_text("from lms import b\n")
    monkeypatch.setattr(__name__ + ".ROOT", tmp_path)
    monkeypatch.setattr(__name__ + ".APPS", ("lms",))
    graph = import_graph()
    assert graph["lms"] == {"lms.a"}  # a package importing its own submodule
    assert graph["lms.d"] == {"lms.b"}  # `from pkg import module` is the module
    assert import_cycles() == ["lms.a -> lms.b -> lms.c -> lms.a"]
