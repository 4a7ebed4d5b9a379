"""`workbench` is a real package: its metadata agrees with the requirements files, its
dependencies cover what it imports, and `pip install .` gives a working `workbench` command."""

from __future__ import annotations

import ast
import os
import shutil
import subprocess
import sys
import tomllib
import venv
from importlib.metadata import packages_distributions, requires
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "workbench"
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def requirement_lines(name: str) -> set[str]:
    lines = (ROOT / name).read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith(("#", "-r"))}


def dist_name(requirement: str) -> str:
    """'psycopg[binary]>=3.2,<4' -> 'psycopg'."""
    for i, ch in enumerate(requirement):
        if ch in "[<>=!~ ;":
            return requirement[:i].lower().replace("_", "-")
    return requirement.lower().replace("_", "-")


def test_requirements_files_list_the_package_metadata():
    """requirements.txt is the runtime list (the engine's dependencies, the app's and PostgreSQL's
    extras); requirements-dev.txt adds the `dev` extra; same ranges in both places."""
    extras = PYPROJECT["optional-dependencies"]
    runtime = set(PYPROJECT["dependencies"]) | set(extras["app"]) | set(extras["postgresql"])
    assert requirement_lines("requirements.txt") == runtime
    dev = set(extras["dev"]) - {"workbench[app,postgresql]"}
    assert "workbench[app,postgresql]" in extras["dev"]
    assert requirement_lines("requirements-dev.txt") == dev
    assert (ROOT / "requirements-dev.txt").read_text(encoding="utf-8").count("-r requirements.txt") == 1


def test_openpyxl_reads_study_workbooks_only():
    """XLSX reports are written with XlsxWriter; openpyxl reads study workbooks (import) only."""
    users = [
        p.relative_to(ROOT).as_posix() for p in _python_files(ROOT, ("workbench", "ui")) if _imports(p) & {"openpyxl"}
    ]
    assert users and all(u.startswith("workbench/files/spreadsheet") for u in users), users
    assert any(dist_name(r) == "openpyxl" for r in requirement_lines("requirements.txt"))


def test_dependencies_cover_every_third_party_import():
    """Each distribution `workbench/` imports is a dependency (not only an extra) or one that a
    dependency requires (MarkupSafe comes with Jinja2), and each dependency is imported somewhere."""
    declared = {dist_name(r) for r in PYPROJECT["dependencies"]}
    brought = {dist_name(r) for d in declared for r in requires(d) or [] if "extra ==" not in r}
    distributions = packages_distributions()
    imported: set[str] = set()
    for path in _python_files(ROOT, ("workbench",)):
        for name in _imports(path):
            if name in sys.stdlib_module_names or name == "workbench":
                continue
            imported.update(d.lower().replace("_", "-") for d in distributions.get(name, [name]))
    assert imported - declared - brought == set()
    assert declared - imported == set()


def test_the_console_script_is_the_cli_main():
    assert PYPROJECT["scripts"] == {"workbench": "workbench.cli:main"}
    assert "from .cli import main" in (PACKAGE / "__main__.py").read_text(encoding="utf-8")


@pytest.mark.slow
def test_pip_install_gives_a_working_workbench_command(tmp_path):
    """Build and install a copy of the sources into a new virtual environment (dependencies from
    the system site-packages, so no download but the build backend), then run the `workbench`
    script from outside the checkout: it must import the installed package and its data files."""
    src = tmp_path / "src"
    src.mkdir()
    for name in ("pyproject.toml", "README.md", "LICENSE"):
        shutil.copy2(ROOT / name, src / name)
    shutil.copytree(PACKAGE, src / "workbench", ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    env_dir = tmp_path / "venv"
    venv.create(env_dir, system_site_packages=True, with_pip=False)  # the system's pip is visible
    bin_dir = env_dir / "bin"
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"

    def run(*cmd: str | Path) -> subprocess.CompletedProcess:
        return subprocess.run([str(c) for c in cmd], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=300)

    install = run(bin_dir / "python", "-m", "pip", "install", "--no-deps", "--quiet", src)
    assert install.returncode == 0, install.stdout + install.stderr

    where = run(bin_dir / "python", "-c", "import workbench; print(workbench.__file__)")
    installed = Path(where.stdout.strip()).parent
    assert installed.is_relative_to(env_dir), where.stdout + where.stderr
    shipped = sorted(p.relative_to(PACKAGE).as_posix() for p in _data_files(PACKAGE))
    assert sorted(p.relative_to(installed).as_posix() for p in _data_files(installed)) == shipped
    assert "i18n/catalog/core.yaml" in shipped

    script, module = run(bin_dir / "workbench", "--help"), run(bin_dir / "python", "-m", "workbench", "--help")
    assert script.returncode == 0, script.stderr
    # The same CLI; its usage line names the command the way it was called.
    assert script.stdout.startswith("usage: workbench [-h]")
    assert module.stdout.startswith("usage: python -m workbench [-h]")
    # argparse wraps the usage line to the program name's width: compare the listed commands.
    assert script.stdout.split("positional arguments:", 1)[1] == module.stdout.split("positional arguments:", 1)[1]
    assert all(f"    {command}" in script.stdout for command in ("validate", "evaluate", "report", "workshop"))

    checked = run(bin_dir / "workbench", "validate", ROOT / "criteria", ROOT / "providers")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "OK: " in checked.stderr and "criteria set(s)" in checked.stderr

    ranked = run(bin_dir / "workbench", "evaluate", "--criteria", ROOT / "tests/fixtures/mini/criteria.yaml",
                 "--providers", ROOT / "tests/fixtures/mini/providers", "--format", "csv")  # fmt: skip
    assert ranked.returncode == 0, ranked.stderr
    assert [line.split(",")[1] for line in ranked.stdout.splitlines()[1:]] == ["alpha", "gamma", "beta"]


# --- helpers ----------------------------------------------------------------------------------


def _python_files(root: Path, folders: tuple[str, ...]) -> list[Path]:
    return sorted(p for folder in folders for p in (root / folder).rglob("*.py") if "__pycache__" not in p.parts)


def _data_files(package: Path) -> list[Path]:
    return [p for p in package.rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")
            and "__pycache__" not in p.parts]  # fmt: skip


def _imports(path: Path) -> set[str]:
    """Top-level names of the absolute imports in a module (relative imports are the package)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names
