"""Reading YAML files people write: safe loading, no aliases (so no YAML
bombs), a size cap on the bytes read, no numbers that are not finite, and
errors that name the file, line and field. Every YAML storycast reads (casts,
voice profiles, lexicons, script.yaml, Markdown front matter) comes through
here."""

from __future__ import annotations

import math
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from storycast.errors import ConfigError

MAX_BYTES = 5_000_000
"""The largest YAML file read (a novel's script.yaml is about 1 MB)."""
FRONT_MATTER_BYTES = 64_000
"""The largest Markdown front matter: a few fields of metadata."""


class NotYAML(ConfigError):
    """Text that does not parse as YAML (a reader may then take it as prose)."""


class _Loader(yaml.SafeLoader):
    """safe_load that refuses aliases and remembers where each mapping sits."""

    def compose_node(self, parent, index):  # noqa: ANN001
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise ConfigError(
                self.name, "YAML aliases (*name) are not allowed", line=event.start_mark.line + 1
            )
        return super().compose_node(parent, index)

    def construct_yaml_str(self, node):  # noqa: ANN001
        # "\ud800" escapes make lone surrogates, which no file can be written with.
        value = super().construct_yaml_str(node)
        if _SURROGATE.search(value):
            raise ConfigError(
                self.name,
                "text with a lone surrogate (\\ud800-\\udfff) is not allowed",
                line=node.start_mark.line + 1,
            )
        return value


def _construct_mapping(loader: _Loader, node: yaml.MappingNode):
    """Mappings as _Mapping (yielded first, filled after, as PyYAML requires)."""
    mapping = _Mapping(
        {},
        node.start_mark.line + 1,
        {
            key.value: key.start_mark.line + 1
            for key, _ in node.value
            if isinstance(key, yaml.ScalarNode)
        },
    )
    yield mapping
    mapping.update(loader.construct_mapping(node))


class _Mapping(dict):
    """A dict that knows its line and the line of each key."""

    def __init__(self, items: dict, line: int, key_lines: dict[str, int]):
        super().__init__(items)
        self.line = line
        self.key_lines = key_lines


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:str", _Loader.construct_yaml_str)
_SURROGATE = re.compile("[\ud800-\udfff]")


def load(path: Path) -> Any:
    """Parse a YAML file or raise ConfigError naming the file and line. Only
    regular files are read, and no more than MAX_BYTES of them (a pipe or a
    device has no size to check first)."""
    try:
        with open(path, "rb") as file:
            if not stat.S_ISREG(os.fstat(file.fileno()).st_mode):
                raise ConfigError(path, "not a regular file")
            data = file.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise ConfigError(path, "file not found") from None
    except OSError as error:
        raise ConfigError(path, f"cannot read: {error.strerror or error}") from None
    if len(data) > MAX_BYTES:
        raise ConfigError(
            path, f"file is too large (more than {MAX_BYTES} bytes) for a settings file"
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ConfigError(
            path, f"cannot read: not UTF-8 ({error.reason} at byte {error.start})"
        ) from None
    return loads(text, path)


def loads(text: str, path: Path | str, limit: int = MAX_BYTES) -> Any:
    """Parse YAML text of at most `limit` characters; ConfigError otherwise."""
    if len(text) > limit:
        raise ConfigError(path, f"YAML too large ({len(text)} characters; at most {limit})")
    loader = None
    try:
        loader = _Loader(text)  # its reader refuses control characters at once
        loader.name = str(path)
        return loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise NotYAML(
            path,
            f"not valid YAML: {_one_line(error.problem or error.context)}",
            line=mark.line + 1 if mark else None,
        ) from None
    except yaml.YAMLError as error:
        raise NotYAML(path, f"not valid YAML: {_one_line(error)}") from None
    except RecursionError:
        raise ConfigError(path, "YAML nested too deeply") from None
    except (ValueError, OverflowError, TypeError, AttributeError) as error:
        # A value YAML parses but Python cannot hold: a date like 2024-13-45
        # (or PyYAML cannot: !!timestamp 99999-01-01),
        # an integer of thousands of digits.
        raise ConfigError(path, f"a value that cannot be read: {_one_line(error)}") from None
    finally:
        if loader is not None:
            loader.dispose()


def _one_line(detail: object) -> str:
    return " ".join(str(detail).split())[:200]


@dataclass(frozen=True)
class Where:
    """A place in a YAML file, for error messages."""

    path: Path | str
    mapping: Any = None

    def line(self, key: str | None = None) -> int | None:
        if isinstance(self.mapping, _Mapping):
            return self.mapping.key_lines.get(key, self.mapping.line) if key else self.mapping.line
        return None

    def error(self, message: str, key: str | None = None, field: str | None = None) -> ConfigError:
        return ConfigError(self.path, message, line=self.line(key), field=field or key)


def require_mapping(value: Any, where: Where, what: str) -> dict:
    if not isinstance(value, dict):
        raise where.error(f"{what} must be a mapping of names to values, not {_kind(value)}")
    return value


def reject_unknown(mapping: dict, allowed: set[str], where: Where, prefix: str = "") -> None:
    for key in mapping:
        if key not in allowed:
            raise Where(where.path, mapping).error(
                f"unknown field (allowed: {', '.join(sorted(allowed))})",
                key=str(key),
                field=f"{prefix}{key}",
            )


def typed(
    mapping: dict,
    key: str,
    kind: type | tuple[type, ...],
    where: Where,
    default: Any,
    prefix: str = "",
) -> Any:
    """mapping[key] checked against `kind`, or `default` when absent."""
    if key not in mapping or mapping[key] is None:
        return default
    value = mapping[key]
    kinds = kind if isinstance(kind, tuple) else (kind,)
    if isinstance(value, bool) and bool not in kinds:
        value = None  # YAML's yes/no are not numbers or names
    if not isinstance(value, kinds):
        names = " or ".join(k.__name__ for k in kinds)
        raise Where(where.path, mapping).error(
            f"must be {names}, not {_kind(mapping[key])}", key=key, field=f"{prefix}{key}"
        )
    if isinstance(value, float) and not math.isfinite(value):
        raise Where(where.path, mapping).error(
            "must be a finite number", key=key, field=f"{prefix}{key}"
        )
    return value


def _kind(value: Any) -> str:
    return {
        dict: "a mapping",
        list: "a list",
        str: "text",
        bool: "true/false",
        type(None): "empty",
    }.get(type(value), type(value).__name__)
