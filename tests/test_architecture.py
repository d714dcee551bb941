"""The shape of the code: no import cycle between Vetted's modules.

The layers themselves are import-linter contracts (pyproject.toml, run by
.ci/run as `lint-imports`); this checks what layers cannot: that no two
modules import each other, directly or round a loop.
"""

import grimp

PACKAGES = ("answers", "editorial", "config")


def _cycles(graph) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan)."""
    modules = sorted(m for m in graph.modules if m.split(".")[0] in PACKAGES)
    index, low, stack, on_stack, found = {}, {}, [], set(), []
    counter = [0]

    def visit(module):
        index[module] = low[module] = counter[0]
        counter[0] += 1
        stack.append(module)
        on_stack.add(module)
        for imported in graph.find_modules_directly_imported_by(module):
            if imported.split(".")[0] not in PACKAGES:
                continue
            if imported not in index:
                visit(imported)
                low[module] = min(low[module], low[imported])
            elif imported in on_stack:
                low[module] = min(low[module], index[imported])
        if low[module] == index[module]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in modules:
        if module not in index:
            visit(module)
    return found


def test_no_module_imports_itself_round_a_loop():
    graph = grimp.build_graph(*PACKAGES, include_external_packages=False)
    assert _cycles(graph) == []


def test_the_cycle_finder_sees_a_loop():
    graph = grimp.ImportGraph()
    for module in ("editorial.a", "editorial.b", "editorial.c"):
        graph.add_module(module)
    graph.add_import(importer="editorial.a", imported="editorial.b")
    graph.add_import(importer="editorial.b", imported="editorial.a")
    graph.add_import(importer="editorial.b", imported="editorial.c")
    assert _cycles(graph) == [["editorial.a", "editorial.b"]]
