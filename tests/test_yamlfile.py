"""yamlfile: YAML that people write, read safely (no aliases, no Python
objects, no huge files), with errors that name the file, line and field."""

from __future__ import annotations

import pytest

from storycast import yamlfile
from storycast.errors import ConfigError, InputError
from storycast.yamlfile import Where, load, loads, reject_unknown, require_mapping, typed

PROFILE = """\
description: a test voice
engine: espeak
rate: 170
thought:
  volume: 0.7
"""


def write(tmp_path, text: str | bytes, name: str = "voice.yaml"):
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def test_a_file_loads_as_plain_values(tmp_path):
    data = load(write(tmp_path, PROFILE))
    assert data == {
        "description": "a test voice",
        "engine": "espeak",
        "rate": 170,
        "thought": {"volume": 0.7},
    }


def test_a_byte_order_mark_is_accepted(tmp_path):
    assert load(write(tmp_path, "\ufeffrate: 170\n".encode())) == {"rate": 170}


def test_mappings_remember_their_line_and_each_keys_line(tmp_path):
    data = load(write(tmp_path, PROFILE))
    where = Where("voice.yaml", data)
    assert where.line() == 1
    assert where.line("rate") == 3
    assert where.line("thought") == 4
    assert where.line("missing") == 1  # an absent key points at its mapping
    assert Where("voice.yaml", data["thought"]).line("volume") == 5


def test_a_missing_file_is_named(tmp_path):
    path = tmp_path / "absent.yaml"
    with pytest.raises(ConfigError, match="absent.yaml: file not found"):
        load(path)


def test_a_file_that_is_not_utf8_cannot_be_read(tmp_path):
    with pytest.raises(ConfigError, match=r"voice.yaml: cannot read"):
        load(write(tmp_path, b"rate: \xff\xfe\n"))


def test_a_file_over_the_size_limit_is_refused_before_reading(tmp_path, monkeypatch):
    monkeypatch.setattr(yamlfile, "MAX_BYTES", 10)
    with pytest.raises(ConfigError, match=r"too large \(more than \d+ bytes\)"):
        load(write(tmp_path, PROFILE))


def test_broken_yaml_names_the_line(tmp_path):
    text = "engine: espeak\nrate: [170\npitch: 20\n"
    with pytest.raises(ConfigError, match=r"voice.yaml:\d+: not valid YAML") as caught:
        load(write(tmp_path, text))
    line = int(str(caught.value).split(":")[1])
    assert 2 <= line <= 4  # where the unclosed list is noticed


def test_aliases_are_refused_with_their_line():
    text = "base: &voice\n  rate: 170\ngene: *voice\n"
    with pytest.raises(ConfigError, match=r"^cast.yaml:3: YAML aliases"):
        loads(text, "cast.yaml")


def test_a_yaml_bomb_is_refused():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
    with pytest.raises(ConfigError, match="aliases"):
        loads(bomb, "bomb.yaml")


def test_python_objects_are_not_constructed():
    text = "voice: !!python/object/apply:os.system ['echo unsafe']\n"
    with pytest.raises(ConfigError, match="not valid YAML"):
        loads(text, "evil.yaml")


def test_config_errors_are_input_errors():
    with pytest.raises(InputError):
        loads("a: [", "x.yaml")


def test_where_error_names_file_line_and_field():
    data = loads("engine: espeak\nrate: fast\n", "voice.yaml")
    error = Where("voice.yaml", data).error("must be a number", key="rate")
    assert isinstance(error, ConfigError)
    assert str(error) == "voice.yaml:2: rate: must be a number"
    renamed = Where("voice.yaml", data).error("bad", key="rate", field="voice.rate")
    assert str(renamed) == "voice.yaml:2: voice.rate: bad"


def test_where_has_no_line_for_values_not_read_from_yaml():
    assert Where("cast.yaml", {"rate": 1}).line("rate") is None
    assert str(Where("cast.yaml").error("empty file")) == "cast.yaml: empty file"


@pytest.mark.parametrize(
    "value, kind",
    [([1, 2], "a list"), ("words", "text"), (None, "empty"), (True, "true/false"), (3, "int")],
)
def test_require_mapping_names_what_it_got(value, kind):
    with pytest.raises(ConfigError, match=f"^cast.yaml: the cast must be a mapping .*not {kind}$"):
        require_mapping(value, Where("cast.yaml"), "the cast")


def test_require_mapping_returns_a_mapping():
    data = loads("a: 1\n", "x.yaml")
    assert require_mapping(data, Where("x.yaml"), "x") is data


def test_reject_unknown_names_the_field_its_line_and_what_is_allowed():
    data = loads("engine: espeak\nrat: 170\n", "voice.yaml")
    reject_unknown(data, {"engine", "rat"}, Where("voice.yaml"))  # all allowed: no error
    with pytest.raises(ConfigError) as caught:
        reject_unknown(data, {"engine", "rate"}, Where("voice.yaml"), prefix="voice.")
    assert str(caught.value) == "voice.yaml:2: voice.rat: unknown field (allowed: engine, rate)"


def test_typed_gives_the_default_for_an_absent_or_empty_field():
    data = loads("pitch:\n", "voice.yaml")
    where = Where("voice.yaml", data)
    assert typed(data, "rate", int, where, default=175) == 175
    assert typed(data, "pitch", int, where, default=50) == 50


def test_typed_returns_a_value_of_the_right_kind():
    data = loads("rate: 170\nvolume: 0.5\nvoice: gene\n", "voice.yaml")
    where = Where("voice.yaml", data)
    assert typed(data, "rate", int, where, default=0) == 170
    assert typed(data, "volume", (int, float), where, default=1.0) == 0.5
    assert typed(data, "voice", str, where, default="") == "gene"


def test_typed_names_the_field_its_line_and_the_kinds_allowed():
    data = loads("engine: espeak\nvolume: loud\n", "voice.yaml")
    with pytest.raises(ConfigError) as caught:
        typed(data, "volume", (int, float), Where("voice.yaml", data), 1.0, prefix="thought.")
    assert str(caught.value) == "voice.yaml:2: thought.volume: must be int or float, not text"


def test_yes_and_no_are_not_numbers():
    data = loads("rate: yes\n", "voice.yaml")
    with pytest.raises(ConfigError, match="rate: must be int, not true/false"):
        typed(data, "rate", int, Where("voice.yaml", data), default=0)


def test_true_and_false_are_accepted_where_a_flag_is_wanted():
    data = loads("match_case: true\n", "lexicon.yaml")
    assert typed(data, "match_case", bool, Where("lexicon.yaml", data), default=False) is True
