"""Reading YAML files people write: safe loading, no aliases (so no YAML
bombs), and errors that name the file, line and field."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from storycast.errors import ConfigError

MAX_BYTES = 5_000_000


class _Loader(yaml.SafeLoader):
    """safe_load that refuses aliases and remembers where each mapping sits."""

    def compose_node(self, parent, index):  # noqa: ANN001
        if self.check_event(yaml.AliasEvent):
            event = self.peek_event()
            raise ConfigError(
                self.name, "YAML aliases (*name) are not allowed", line=event.start_mark.line + 1
            )
        return super().compose_node(parent, index)


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


def load(path: Path) -> Any:
    """Parse a YAML file or raise ConfigError naming the file and line."""
    try:
        size = path.stat().st_size
        if size > MAX_BYTES:
            raise ConfigError(path, f"file is too large ({size} bytes) for a settings file")
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise ConfigError(path, "file not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(path, f"cannot read: {error}") from None
    return loads(text, path)


def loads(text: str, path: Path | str) -> Any:
    loader = _Loader(text)
    loader.name = str(path)
    try:
        return loader.get_single_data()
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        raise ConfigError(
            path,
            f"not valid YAML: {error.problem or error.context}",
            line=mark.line + 1 if mark else None,
        ) from None
    except yaml.YAMLError as error:
        raise ConfigError(path, f"not valid YAML: {error}") from None
    finally:
        loader.dispose()


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
    return value


def _kind(value: Any) -> str:
    return {
        dict: "a mapping",
        list: "a list",
        str: "text",
        bool: "true/false",
        type(None): "empty",
    }.get(type(value), type(value).__name__)
