"""pytest collects only functions named test_it_* (pyproject.toml): any other test_
function would look like a test and silently never run."""

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent


def test_it_names_every_test_function_so_pytest_collects_it():
    stray = [
        f"{path.relative_to(TESTS)}:{node.lineno} {node.name}"
        for path in sorted(TESTS.rglob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path)))
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef)
        and node.name.startswith("test_")
        and not node.name.startswith("test_it_")
    ]
    assert stray == [], "rename these test_it_* (or they never run):\n" + "\n".join(stray)
