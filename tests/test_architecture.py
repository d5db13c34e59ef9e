"""The layout's promises, read from the tree: layers import downwards only, modules stay short, and the app's
top level holds only its sub-packages and Django's usual files (docs/architecture.md draws the layers)."""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
APP = ROOT / "constituencies"
SUPPORTERS = ROOT / "supporters"
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


# The supporters app, the same shape in small. It may use constituencies' rules, models, seats and postcodes;
# constituencies never imports it.
SUPPORTERS_LAYERS = {
    "rules": 0,
    "models": 1,
    "services": 2,
    "web": 3,
    "api": 3,
    "admin": 3,
    "templatetags": 4,
    "management": 5,
    "urls": 5,
}
CONSTITUENCIES_LAYERS_FOR_SUPPORTERS = {"rules", "models", "seats", "postcodes"}
# Its JSON endpoints answer as every endpoint does: their methods and errors from constituencies/api/responses.py.
SUPPORTERS_API_MAY_ALSO = {"api": {"api"}}
SUPPORTERS_TOP_LEVEL = TOP_LEVEL_ALLOWED | {"admin.py", "templatetags", "management"}


def supporters_modules():
    return sorted(p for p in SUPPORTERS.rglob("*.py") if "migrations" not in p.parts)


def imports_of(path: Path, app: str) -> set[str]:
    """The sub-packages of `app` that a module imports ("" for the app itself)."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        names = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == app:
                found.add(parts[1] if len(parts) > 1 else "")
    return found


def test_constituencies_never_import_supporters():
    assert [str(p.relative_to(ROOT)) for p in app_modules() if imports_of(p, "supporters")] == []


def test_supporters_top_level_holds_only_its_layers_and_django_files():
    stray = [
        p.name
        for p in SUPPORTERS.iterdir()
        if p.name not in SUPPORTERS_TOP_LEVEL and not (p.is_dir() and (p / "__init__.py").exists())
    ]
    assert stray == []
    packages = {p.name for p in SUPPORTERS.iterdir() if p.is_dir() and (p / "__init__.py").exists()}
    assert packages - {"migrations"} <= set(SUPPORTERS_LAYERS)


@pytest.mark.parametrize("path", supporters_modules(), ids=lambda p: str(p.relative_to(SUPPORTERS)))
def test_supporters_imports_run_downwards(path):
    own = path.relative_to(SUPPORTERS).parts[0].removesuffix(".py")
    if own not in SUPPORTERS_LAYERS:
        return  # __init__.py, apps.py
    own_layers = imports_of(path, "supporters") - {""}
    assert {p for p in own_layers if p != own and SUPPORTERS_LAYERS[p] >= SUPPORTERS_LAYERS[own]} == set()
    allowed = CONSTITUENCIES_LAYERS_FOR_SUPPORTERS | SUPPORTERS_API_MAY_ALSO.get(own, set())
    assert imports_of(path, "constituencies") - {""} <= allowed


def test_supporters_rules_need_no_django():
    for path in (SUPPORTERS / "rules").rglob("*.py"):
        assert not imports_of(path, "django"), path.name


@pytest.mark.parametrize("path", supporters_modules(), ids=lambda p: str(p.relative_to(SUPPORTERS)))
def test_supporters_modules_are_short(path):
    assert len(path.read_text().splitlines()) <= LONGEST_MODULE
