"""The import graph of our apps (every top-level package but tests/ and bench/): no module of
one app imports, through any chain, a module that imports it back from another app.

The graph is read from the source with `ast`: every import statement, at module level and
inside functions (an import inside a function is still a dependency, only a later one).
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
APPS = (
    "assignments",
    "people",
    "documents",
    "reports",
    "reminders",
    "records",
    "workflow",
    "replies",
    "api",
    "config",
)

# The apps depend on each other in layers, each only on those below it: the record is the base;
# people and sign-in, documents in and out, and the reports read it; reminders tell people about
# its deadlines; the process moves all of them; the API and the site's configuration sit on top.
# Reminders follow the record through the record's own signal (assignments.signals.recorded,
# sent by every audit entry), so the record never imports reminders.
LAYERS = {
    "assignments": set(),
    "people": {"assignments"},
    "documents": {"assignments"},
    "reports": {"assignments", "documents"},
    "reminders": {"assignments", "documents", "reports"},
    # what a public body keeps: e-arkiv packages of the record (its document, its history),
    # gallring of the record's and the reminders' rows, the accessibility statement
    "records": {"assignments", "documents", "reminders"},
    "workflow": {"assignments", "documents", "people", "reminders"},
    # answers to reminders by mail: reads the mailbox, acts through the workflow's services
    "replies": {"assignments", "reminders", "workflow"},
    # the REST API: reads the registry and the process, acts through the process's services
    "api": {"assignments", "people", "records", "reminders", "workflow"},
    # settings, urls, the 404/500 handlers and the health checks: the site as a whole
    "config": {"api", "assignments", "people", "reminders", "reports", "workflow"},
}


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def import_graph(root: Path = ROOT, apps=APPS) -> dict[str, set[str]]:
    """Each module of the apps → the modules of the apps it imports (anywhere in its code)."""
    files = {_module_name(path, root): path for app in apps for path in (root / app).rglob("*.py")}

    def known(name: str) -> str | None:
        """The module `name` is, or the module it is an attribute of."""
        while name and name not in files:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {name: set() for name in files}
    for name, path in files.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join(anchor + ([base] if base else []))
                # `from x import y`: y is a module of x, or a name defined in x
                targets = [f"{base}.{alias.name}" for alias in node.names]
            else:
                continue
            for target in targets:
                module = known(target)
                if module and module != name:
                    graph[name].add(module)
    return graph


def _components(graph: dict[str, set[str]]) -> list[set[str]]:
    """The strongly connected components of more than one module (Tarjan, iteratively)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[set[str]] = []
    for start in graph:
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = set()
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.add(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(component)
    return found


def cross_app_cycles(graph: dict[str, set[str]], ignoring=frozenset()) -> list[list[str]]:
    """Each group of modules of more than one app that import each other in a circle, as the
    imports between apps inside it ("a.x -> b.y"), leaving out the imports `ignoring` names."""
    graph = {
        module: {target for target in targets if (module, target) not in ignoring}
        for module, targets in graph.items()
    }
    cycles = []
    for component in _components(graph):
        if len({module.split(".")[0] for module in component}) < 2:
            continue  # inside one app
        cycles.append(
            sorted(
                f"{module} -> {target}"
                for module in component
                for target in graph[module] & component
                if module.split(".")[0] != target.split(".")[0]
            )
        )
    return cycles


def test_no_import_cycle_between_the_apps():
    cycles = cross_app_cycles(import_graph())
    assert cycles == [], f"import cycles between the apps: {cycles}"


def test_the_apps_import_each_other_only_downwards():
    """Not even modules that never import each other back: assignments imports neither
    workflow nor reminders, reminders only assignments."""
    imports = {app: set() for app in APPS}
    for module, targets in import_graph().items():
        for target in targets:
            importer, imported = module.split(".")[0], target.split(".")[0]
            if importer != imported:
                imports[importer].add(imported)
    assert imports == LAYERS


def test_the_graph_sees_imports_inside_functions_and_relative_ones(tmp_path):
    (tmp_path / "first").mkdir()
    (tmp_path / "second").mkdir()
    (tmp_path / "first" / "__init__.py").write_text("")
    (tmp_path / "second" / "__init__.py").write_text("")
    (tmp_path / "first" / "services.py").write_text("from second.reads import anything\n")
    (tmp_path / "first" / "models.py").write_text("")
    (tmp_path / "second" / "reads.py").write_text(
        "from . import helpers\n\ndef later():\n    from first import services\n"
    )
    (tmp_path / "second" / "helpers.py").write_text("import first.models\n")
    graph = import_graph(tmp_path, ("first", "second"))
    assert graph["second.reads"] == {"second.helpers", "first.services"}
    assert graph["second.helpers"] == {"first.models"}
    assert cross_app_cycles(graph) == [
        ["first.services -> second.reads", "second.reads -> first.services"]
    ]
    assert cross_app_cycles(graph, ignoring={("second.reads", "first.services")}) == []


# -- one writer of an assignment's state (issue #25, D1) -------------------------------------

LIFECYCLE = ROOT / "workflow" / "lifecycle.py"
# Calls that write the fields they are given (a filter() or exclude() only reads).
WRITING_CALLS = {"update", "create", "get_or_create", "update_or_create", "Assignment"}


def _other_models_state(value: ast.expr) -> bool:
    """`Reminder.State.SENT`, `Delivery.Status...`: a state of another model, not ours."""
    return (
        isinstance(value, ast.Attribute)
        and isinstance(value.value, ast.Attribute)
        and value.value.attr == "State"
        and isinstance(value.value.value, ast.Name)
        and value.value.value.id != "Assignment"
    )


def _the_default(value: ast.expr) -> bool:
    """`Assignment.State.DRAFT`: a new record starts as a draft, which is no transition."""
    return isinstance(value, ast.Attribute) and value.attr == "DRAFT"


def state_writes(path: Path, root: Path = ROOT) -> list[str]:
    """Each place in the file that writes an assignment's state other than through the
    lifecycle: `x.state = ...`, `update(state=...)`, `create(state=...)`, `Assignment(state=...)`
    and `defaults={"state": ...}`, with a value that is not another model's state."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(), str(path))):
        if isinstance(node, ast.Assign | ast.AugAssign | ast.AnnAssign):
            targets = node.targets if isinstance(node, ast.Assign) else [node.target]
            for target in targets:
                if (
                    isinstance(target, ast.Attribute)
                    and target.attr == "state"
                    and not _other_models_state(node.value)
                ):
                    found.append(f"{path.relative_to(root)}:{node.lineno}")
        elif isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name not in WRITING_CALLS:
                continue
            values = [k.value for k in node.keywords if k.arg == "state"]
            for keyword in node.keywords:
                if keyword.arg == "defaults" and isinstance(keyword.value, ast.Dict):
                    values += [
                        v
                        for k, v in zip(keyword.value.keys, keyword.value.values, strict=True)
                        if isinstance(k, ast.Constant) and k.value == "state"
                    ]
            for value in values:
                if not (_other_models_state(value) or _the_default(value)):
                    found.append(f"{path.relative_to(root)}:{node.lineno}")
    return found


def test_only_the_lifecycle_writes_an_assignments_state():
    writes = [
        place
        for app in APPS
        for path in sorted((ROOT / app).rglob("*.py"))
        if path != LIFECYCLE and "migrations" not in path.parts
        for place in state_writes(path)
    ]
    assert writes == [], f"Assignment.state written outside workflow/lifecycle.py: {writes}"


def test_the_state_walk_finds_every_kind_of_write(tmp_path):
    source = tmp_path / "writer.py"
    source.write_text(
        "assignment.state = 'decided'\n"
        "Assignment.objects.filter(pk=1).update(state=Assignment.State.DECIDED)\n"
        "Assignment.objects.create(state=state)\n"
        "Assignment.objects.get_or_create(pk=1, defaults={'state': Assignment.State.CANCELLED})\n"
        "reminder.state = Reminder.State.SENT\n"
        "Assignment(state=Assignment.State.DRAFT)\n"
        "Assignment.objects.filter(state=Assignment.State.DECIDED)\n"
    )
    assert state_writes(source, tmp_path) == [
        "writer.py:1",
        "writer.py:2",
        "writer.py:3",
        "writer.py:4",
    ]


# -- no import cycle inside an app either (issue #25) ----------------------------------------


def test_no_import_cycle_inside_an_app():
    """An import inside a function is still a dependency: a circle of them (services ->
    flows -> services) is a circle, only one that Python does not refuse."""
    cycles = [sorted(c) for c in _components(import_graph())]
    assert cycles == [], f"import cycles inside an app: {cycles}"


# -- modules a reader can take in (issue #25) ------------------------------------------------

MOST_LINES = 400
# Longer by design: the record's models in one place, and the one settings file of the stack.
LONGER = {"assignments/models.py", "config/settings.py"}


def test_no_module_is_over_400_lines_but_the_models_and_the_settings():
    long = {
        str(path.relative_to(ROOT)): lines
        for app in APPS
        for path in (ROOT / app).rglob("*.py")
        if "migrations" not in path.parts
        and (lines := len(path.read_text(encoding="utf-8").splitlines())) > MOST_LINES
    }
    assert set(long) - LONGER == set(), f"split these by what they do: {long}"
