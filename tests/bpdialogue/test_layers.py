"""The import-linter contracts in pyproject.toml hold on the tree, and they would catch a lower
layer importing a higher one or an import cycle: here they are run on the real tree, then with
the layer order reversed, then on a copy of the tree with one bad import added."""

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
CONFIG = tomllib.loads((BASE_DIR / "pyproject.toml").read_text())["tool"]["importlinter"]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def lint_imports(*config_files: Path, cwd: Path = BASE_DIR) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache", "--no-logo", *map(str, config_files)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_tree_keeps_every_contract():
    result = lint_imports()
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_the_layers_contract_fails_when_the_layers_are_reversed(tmp_path):
    (layers,) = [c for c in CONFIG["contracts"] if c["type"] == "layers"]
    reversed_config = tmp_path / "reversed.toml"
    reversed_config.write_text(
        "[tool.importlinter]\n"
        f"root_packages = {CONFIG['root_packages']!r}\n"
        "[[tool.importlinter.contracts]]\n"
        'name = "Reversed layers"\n'
        'type = "layers"\n'
        f"layers = {layers['layers'][::-1]!r}\n"
    )
    result = lint_imports(reversed_config)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Reversed layers BROKEN" in result.stdout


@pytest.fixture(scope="module")
def tree_copy(tmp_path_factory) -> Path:
    copy = tmp_path_factory.mktemp("tree")
    for package in CONFIG["root_packages"]:
        shutil.copytree(
            BASE_DIR / package, copy / package, ignore=shutil.ignore_patterns("__pycache__")
        )
    shutil.copy(BASE_DIR / "pyproject.toml", copy / "pyproject.toml")
    return copy


def test_a_lower_layer_importing_a_higher_one_breaks_the_layers(tree_copy, tmp_path):
    upward = tree_copy / "participants" / "upward.py"
    upward.write_text("def late():\n    from meetings.models import Meeting  # noqa: F401\n")
    try:
        result = lint_imports(cwd=tree_copy)
    finally:
        upward.unlink()
    assert result.returncode == 1, result.stdout + result.stderr
    assert "participants.upward -> meetings.models" in result.stdout


def test_an_import_cycle_inside_an_app_breaks_the_acyclic_contract(tree_copy):
    # The cycle issue #11 found: the render service queued the task by importing its module.
    module = tree_copy / "meetings" / "documents.py"
    original = module.read_text()
    module.write_text(original + "\n\ndef late():\n    from .tasks import render_document\n")
    try:
        result = lint_imports(cwd=tree_copy)
    finally:
        module.write_text(original)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "No import cycles inside an app BROKEN" in result.stdout
