"""The package's house rules, checked on its source: a public API, no private names across modules,
files small enough to read in one sitting, and a question's way that only goes forward."""
from __future__ import annotations

import ast
import importlib
from pathlib import Path

import assistant
from assistant.config import ROOT

PACKAGE = ROOT / "assistant"
MODULES = sorted(PACKAGE.rglob("*.py"))
# The stages in the order a question travels; a stage may use those before it, never those after.
STAGES = ["corpus", "embeddings", "llm", "indexing", "retrieval", "answers", "email", "evaluation", "web"]


def _name(path: Path) -> str:
    return ".".join(path.relative_to(ROOT).with_suffix("").parts).removesuffix(".__init__")


def _imports(path: Path):
    """(module imported, names) for every `from X import names` inside the package, resolved."""
    package = _name(path) if path.name == "__init__.py" else _name(path).rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[:len(package.split(".")) - node.level + 1]
                module = ".".join(base + ([node.module] if node.module else []))
            else:
                module = node.module or ""
            if module == "assistant" or module.startswith("assistant."):
                yield module, [alias.name for alias in node.names]


def test_every_public_name_resolves():
    assert "Assistant" in assistant.__all__ and "Config" in assistant.__all__
    for name in assistant.__all__:
        assert getattr(assistant, name) is not None, name
    for name in ("Answer", "Citation", "Passage", "EmailDraft", "AssistantError", "UsageError", "NotesError"):
        assert name in assistant.__all__, name


def test_no_private_name_is_imported_across_modules():
    offenders = []
    for path in MODULES:
        for module, names in _imports(path):
            offenders += [f"{_name(path)}: {module}.{n}" for n in names if n.startswith("_") and n != "__version__"]
    assert not offenders, offenders


def test_no_module_is_too_long_to_read():
    long = {str(p.relative_to(ROOT)): n for p in MODULES if (n := len(p.read_text().splitlines())) > 400}
    assert not long, long


def test_the_command_line_and_the_web_app_use_the_public_api():
    for path in [PACKAGE / "cli.py", *sorted((PACKAGE / "web").glob("*.py"))]:
        for module, names in _imports(path):
            own = path.parent == PACKAGE / "web" and module.startswith("assistant.web")
            serve = path.name == "cli.py" and module == "assistant.web" and names == ["serve"]  # `mdt-assistent serve`
            assert module == "assistant" or own or serve, f"{_name(path)} imports {names} from {module}"


def test_a_question_only_travels_forward():
    backwards = []
    for path in MODULES:
        parts = _name(path).split(".")
        if len(parts) < 3 or parts[1] not in STAGES:
            continue
        stage = STAGES.index(parts[1])
        for module, _ in _imports(path):
            target = module.split(".")
            if len(target) > 1 and target[1] in STAGES and STAGES.index(target[1]) > stage:
                backwards.append(f"{_name(path)} -> {module}")
    assert not backwards, backwards


def test_every_stage_folder_is_a_package_in_the_wheel():
    import tomllib

    listed = set(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["packages"])
    folders = {_name(p.parent) for p in MODULES if p.name == "__init__.py"}
    assert folders <= listed, folders - listed
    for folder in folders:
        importlib.import_module(folder)
