"""The one-way import rule of docs/architecture.md, as import-linter checks it (pyproject.toml,
``[tool.importlinter]``): each layer imports only the layers below it, and every app is in a layer."""

import pathlib
import re
import tomllib

from importlinter.cli import lint_imports

ROOT = pathlib.Path(__file__).resolve().parents[1]
PYPROJECT = ROOT / "pyproject.toml"


def test_no_app_imports_a_layer_above_it(tmp_path):
    assert lint_imports(config_filename=str(PYPROJECT), cache_dir=str(tmp_path), no_logo=True) == 0


def test_every_app_has_its_layer():
    """A new app must take its place in the contract, or the rule would not see it."""
    layers = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["tool"]["importlinter"]["contracts"][0][
        "layers"
    ]
    named = {name for layer in layers for name in re.split(r"\s*[:|]\s*", layer)}
    apps = {
        f"kexie.{path.parent.name}"
        for path in (ROOT / "src" / "kexie").glob("*/__init__.py")
        if path.parent.name != "__pycache__"
    }
    assert apps <= named, f"not in a layer: {sorted(apps - named)}"
