"""Load YAML from untrusted files without surprises.

``yaml.safe_load`` already refuses arbitrary Python tags, but it still expands
aliases: a "billion laughs" document of nested aliases is tiny on disk and
explodes as soon as anything walks it. Neither the front matter of an article
nor the entity list needs anchors, so aliases are refused outright, and every
error is turned into one line that names the place it happened.
"""

from __future__ import annotations

from typing import Any

import yaml

try:  # the C loader is several times faster on large entity lists
    _Base = yaml.CSafeLoader  # type: ignore[attr-defined]
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Base = yaml.SafeLoader

_Dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)

MAX_YAML_BYTES = 16 * 1024 * 1024
MAX_DEPTH = 1000  # nesting levels; real front matter and entity lists use fewer than ten


class YamlError(ValueError):
    """A YAML document that cannot be used; ``line`` is 1-based when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line

    def __str__(self) -> str:
        if self.line is not None:
            return f"line {self.line}: {self.message}"
        return self.message


class _NoAliasLoader(yaml.SafeLoader):
    """Pure-Python safe loader that refuses aliases while composing."""

    def compose_node(self, parent, index):  # type: ignore[override]
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise yaml.composer.ComposerError(
                None, None, "YAML aliases (*name) are not allowed here", event.start_mark
            )
        return super().compose_node(parent, index)


def _has_alias(text: str) -> bool:
    # Cheap pre-check: only documents that could contain an alias pay for the
    # slower pure-Python loader.
    return "*" in text or "&" in text


def _too_deep(text: str) -> Any:
    """The mark where ``text`` nests deeper than MAX_DEPTH, else None.

    The C loader composes nodes recursively in C: a few tens of kilobytes of
    ``[[[[`` or ``- - - -`` overflow the stack and kill the process with a
    segfault, not an exception. A cheap upper bound clears nearly every
    document (block collections gain at most two levels per column, flow ones
    one per bracket); only above it are the parser's events counted.
    """
    longest = max(map(len, text.split("\n")))
    if 2 * longest + 2 + text.count("[") + text.count("{") <= MAX_DEPTH:
        return None
    depth = 0
    for event in yaml.parse(text, Loader=_Base):
        if isinstance(event, (yaml.SequenceStartEvent, yaml.MappingStartEvent)):
            depth += 1
            if depth > MAX_DEPTH:
                return event.start_mark
        elif isinstance(event, (yaml.SequenceEndEvent, yaml.MappingEndEvent)):
            depth -= 1
    return None


def load_yaml(text: str, line_offset: int = 0, limit: int | None = None) -> Any:
    """Parse one YAML document; raise ``YamlError`` with a line number on failure.

    ``line_offset`` is added to reported lines, for YAML embedded in a larger
    file (front matter starts on line 2); ``limit`` is the largest text taken
    (MAX_YAML_BYTES unless given).
    """
    limit = MAX_YAML_BYTES if limit is None else limit
    if len(text) > limit:
        raise YamlError(f"YAML is larger than {limit // (1024 * 1024)} MB")
    loader_cls = _NoAliasLoader if _has_alias(text) else _Base
    try:
        deep = _too_deep(text)
        if deep is not None:
            raise YamlError(f"YAML is nested more than {MAX_DEPTH} levels deep", deep.line + 1 + line_offset)
        loader = loader_cls(text)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except YamlError:  # ours (too deep), already one line with its place
        raise
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 + line_offset if mark is not None else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise YamlError(" ".join(str(problem).split()), line) from None
    except yaml.YAMLError as exc:
        raise YamlError(" ".join(str(exc).split()) or "invalid YAML") from None
    except RecursionError:
        raise YamlError("YAML is nested too deeply") from None
    except (ValueError, TypeError, KeyError, OverflowError) as exc:
        # PyYAML's constructors raise plain errors for values they cannot build:
        # "date: 2024-02-30" (ValueError), "!!bool maybe" (KeyError), "!!int x".
        raise YamlError(f"a value cannot be read ({' '.join(str(exc).split())})") from None


def dump_yaml(data: Any) -> str:
    """Serialise plain data as block-style YAML, keys in the given order."""
    return yaml.dump(
        data,
        Dumper=_Dumper,
        sort_keys=False,
        allow_unicode=True,
        default_flow_style=False,
        width=100,
    )
