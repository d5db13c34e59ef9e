"""The layout's promises, read from the tree: layers import downwards only, modules stay short, and the app's
top level holds only its sub-packages and Django's usual files (docs/architecture.md draws the layers)."""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[1] / "constituencies"
# Lower numbers sit lower; a module may import its own package and any package below it, nothing else.
LAYERS = {
    "rules": 0,
    "models": 1,
    "seats": 2,
    "imports": 3,
    "postcodes": 3,
    "listings": 3,
    "web": 4,
    "api": 4,
    "admin": 4,
    "management": 5,
    "urls": 5,
}
TOP_LEVEL_ALLOWED = {"__init__.py", "apps.py", "urls.py", "templates", "migrations", "__pycache__"}
LONGEST_MODULE = 400


def app_modules():
    return sorted(p for p in APP.rglob("*.py") if "migrations" not in p.parts)


def package_of(path: Path) -> str:
    return path.relative_to(APP).parts[0].removesuffix(".py")


def imported_packages(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "constituencies" and len(parts) > 1:
                found.add(parts[1])
    return found


def test_top_level_holds_only_sub_packages_and_django_files():
    stray = [
        p.name
        for p in APP.iterdir()
        if p.name not in TOP_LEVEL_ALLOWED and not (p.is_dir() and (p / "__init__.py").exists())
    ]
    assert stray == []
    assert {p.name for p in APP.iterdir() if p.is_dir() and (p / "__init__.py").exists()} - {
        "migrations"
    } <= set(LAYERS)


@pytest.mark.parametrize("path", app_modules(), ids=lambda p: str(p.relative_to(APP)))
def test_imports_run_downwards(path):
    own = package_of(path)
    if own not in LAYERS:
        return  # __init__.py, apps.py
    upward_or_sideways = {
        package
        for package in imported_packages(path)
        if package in LAYERS and package != own and LAYERS[package] >= LAYERS[own]
    }
    assert upward_or_sideways == set()


def test_rules_need_no_django():
    for path in (APP / "rules").rglob("*.py"):
        tree = ast.parse(path.read_text())
        modules = {n.module for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module}
        modules |= {a.name for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
        assert not {m for m in modules if m.split(".")[0] == "django"}, path.name


@pytest.mark.parametrize("path", app_modules(), ids=lambda p: str(p.relative_to(APP)))
def test_modules_are_short(path):
    assert len(path.read_text().splitlines()) <= LONGEST_MODULE
