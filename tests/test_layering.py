"""Layering: the domain never imports the UI toolkit.

DESIGN.md: "No domain module imports Textual, so every behaviour except drawing
is testable without a screen." Checked statically (every import statement of
every module outside reader/ui/) and at run time (importing the library and
running a subcommand does not load textual).
"""

from __future__ import annotations

import ast
import os
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "reader"
UI = PACKAGE / "ui"


def domain_modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if UI not in p.parents)


def imports_of(path: Path) -> list[tuple[str, bool]]:
    """(module name, at module level?) for every import in the file."""
    tree = ast.parse(path.read_text("utf-8"), filename=str(path))
    top_level = {id(node) for node in tree.body}
    # imports nested in `if TYPE_CHECKING:` or try blocks at the top still count as top level
    for node in tree.body:
        if isinstance(node, (ast.If, ast.Try)):
            for child in ast.walk(node):
                top_level.add(id(child))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name, id(node) in top_level) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            if node.level:  # relative: resolve against the package
                base = path.relative_to(REPO).with_suffix("").parts[:-node.level]
                module = ".".join([*base, module] if module else base)
            found.append((module, id(node) in top_level))
    return found


def test_there_are_domain_modules() -> None:
    names = {p.relative_to(PACKAGE).as_posix() for p in domain_modules()}
    assert {"corpus.py", "index.py", "search/__init__.py", "xref.py", "library.py", "cli.py", "matcher.py"} <= names


def test_the_whoosh_engine_s_own_parts_live_under_search_whoosh() -> None:
    """The search layer is a package; what makes the embedded Whoosh engine
    fast and right sits in its own folder, and nothing of it is left at the
    top of the package."""
    parts = {"analysis", "scoring", "fastmatch", "datefilter", "idfilter", "lexicon", "bulkwriter", "fixes", "readers"}
    assert parts <= {p.stem for p in (PACKAGE / "search" / "whoosh").glob("*.py")}
    assert not parts & {p.stem for p in PACKAGE.glob("*.py")}
    assert not (PACKAGE / "whoosh_fixes.py").exists()


@pytest.mark.parametrize("path", domain_modules(), ids=lambda p: str(p.relative_to(REPO)))
def test_no_domain_module_imports_textual(path: Path) -> None:
    for module, _ in imports_of(path):
        root = module.split(".")[0]
        assert root not in ("textual", "rich"), f"{path.name} imports {module}"


@pytest.mark.parametrize("path", domain_modules(), ids=lambda p: str(p.relative_to(REPO)))
def test_only_the_entry_point_reaches_the_ui_and_only_lazily(path: Path) -> None:
    for module, top_level in imports_of(path):
        if module == "reader.ui" or module.startswith("reader.ui."):
            assert path.name == "cli.py", f"{path.name} imports {module}"
            assert not top_level, "the UI is imported only when the TUI is started"


def test_the_static_check_would_catch_an_import(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("import os\nfrom textual.app import App\ndef f():\n    import textual.widgets\n")
    found = dict(imports_of(probe))
    assert found == {"os": True, "textual.app": True, "textual.widgets": False}


CHECK = """
import sys
{body}
bad = sorted(m for m in sys.modules if m == "textual" or m.startswith("textual.") or m.startswith("reader.ui"))
print("LOADED:" + ",".join(bad))
"""


@pytest.mark.parametrize(
    "body",
    [
        "import reader.library",
        "import reader.cli",
        "import reader.index, reader.search, reader.xref, reader.curate, reader.ingest, reader.extract",
    ],
)
def test_importing_the_domain_does_not_load_textual(body: str) -> None:
    proc = subprocess.run([sys.executable, "-c", CHECK.format(body=body)], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "LOADED:"


def test_running_a_subcommand_does_not_load_textual(tmp_path: Path) -> None:
    body = (
        "from reader.cli import main\n"
        f"code = main(['--articles', {str(REPO / 'articles')!r}, '--index', {str(tmp_path / 'ix')!r}, 'search', 'SenseTime', '--json'])\n"
        "assert code == 0\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    proc = subprocess.run([sys.executable, "-c", CHECK.format(body=body)], capture_output=True, text=True,
                          timeout=120, env=env)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip().splitlines()[-1] == "LOADED:"


def _third_party_imports() -> dict[str, set[str]]:
    stdlib = set(sys.stdlib_module_names)
    result: dict[str, set[str]] = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        for module, _ in imports_of(path):
            root = module.split(".")[0]
            if root and root not in stdlib and root != "reader" and root != "__future__":
                result.setdefault(root, set()).add(path.name)
    return result


# import name -> distribution name, where they differ; rich is a required
# dependency of textual (the UI draws with it), so textual brings it.
DISTRIBUTIONS = {"yaml": "pyyaml", "ahocorasick": "pyahocorasick", "whoosh": "whoosh", "ruamel": "ruamel.yaml",
                 "rich": "textual", "pycrfsuite": "python-crfsuite"}


def _declared() -> set[str]:
    data = tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))
    names = set()
    # The runtime dependencies and the user-facing extras (reader[spacy]), not
    # what only the tests and benchmarks install.
    extras = [r for name, reqs in data["project"].get("optional-dependencies", {}).items()
              if name not in ("test", "bench") for r in reqs]
    for requirement in data["project"]["dependencies"] + extras:
        name = requirement.split(";")[0]
        for sep in "<>=!~[ ":
            name = name.split(sep)[0]
        names.add(name.strip().lower())
    return names


def test_declared_runtime_dependencies_are_pinned_as_designed() -> None:
    declared = {r.replace(" ", "") for r in tomllib.loads((REPO / "pyproject.toml").read_text("utf-8"))["project"]["dependencies"]}
    assert "Whoosh==2.7.4" in declared  # later forks keep stale segments after refresh()


@pytest.mark.parametrize(
    "module",
    sorted(_third_party_imports()),
)
def test_every_third_party_import_is_a_declared_dependency(module: str) -> None:
    assert DISTRIBUTIONS.get(module, module).lower() in _declared(), (
        f"{module} is imported by {sorted(_third_party_imports()[module])} but not in [project] dependencies")
