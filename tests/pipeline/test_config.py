"""Settings: defaults, the config file, the environment; checked once, where they are made."""

import dataclasses

import pytest

from listen.config import Config, load_config
from listen.errors import ConfigError


def write(tmp_path, monkeypatch, text):
    path = tmp_path / "c.toml"
    path.write_text(text, encoding="utf-8")
    monkeypatch.setenv("LISTEN_CONFIG", str(path))
    return path


def test_defaults_without_a_config_file():
    config = load_config()
    assert config.voice.engine == "auto" and config.voice.chinese is None and config.voice.learning is None
    assert (config.timing.gap_ms, config.timing.pair_gap_ms) == (700, 1500)
    assert dataclasses.replace(config, output=Config().output, engines={}) == Config()


def test_config_file_sets_defaults(tmp_path, monkeypatch):
    write(tmp_path, monkeypatch, 'engine = "espeak"\nchinese = "mandarin"\nlearning = "zh"\nspeed_en = 1\n'
                                 'gap_ms = 300\nzh_first = true\n\n[gtts]\ntimeout = 20\n')
    config = load_config()
    assert (config.voice.engine, config.voice.chinese, config.voice.learning, config.voice.speed_en) == (
        "espeak", "mandarin", "zh", 1.0)
    assert (config.timing.gap_ms, config.timing.zh_first) == (300, True)
    assert config.engine_table("gtts")["timeout"] == 20  # the engine reads and checks its own table
    assert dict(config.engine_table("espeak")) == {}


def test_keys_of_listen_0_1_still_work(tmp_path, monkeypatch):
    monkeypatch.delenv("LISTEN_GTTS_URL")
    write(tmp_path, monkeypatch, 'gtts_url = "http://127.0.0.1:1/x"\ngtts_timeout = 3.0\ngtts_concurrency = 2\n'
                                 'reachability_timeout = 0.5\n')
    assert dict(load_config().engine_table("gtts")) == {
        "url": "http://127.0.0.1:1/x", "timeout": 3.0, "concurrency": 2, "reachability_timeout": 0.5}


@pytest.mark.parametrize(
    "text, message",
    [
        ("engine = ", "Cannot read config file"),
        ("colour = 'red'", "Unknown key 'colour'"),
        ("gap_ms = 'long'", "must be int"),
        ("speed_zh = 3.0", "speed_zh must be between 0.5 and 2.0, not 3"),
        ("chinese = 'hakka'", "chinese must be 'mandarin' or 'cantonese'"),
        ("learning = 'fr'", "learning must be 'en' or 'zh'"),
        ("chinese = 5", "Config key 'chinese' .* must be str, not 5"),
        ("cache_dir = 5", "Config key 'cache_dir' .* must be str, not 5"),
        ("gap_ms = true", "Config key 'gap_ms' .* must be int, not True"),
        ("speed_en = true", "Config key 'speed_en' .* must be float, not True"),
        ("jobs = -2", "jobs must be 0 \\(one per CPU\\) or more, not -2"),
        ("pair_gap_ms = 70000", "pair_gap_ms must be between 0 and 60000 ms, not 70000"),
    ],
)
def test_bad_config_is_one_clear_error(tmp_path, monkeypatch, text, message):
    path = write(tmp_path, monkeypatch, text)
    with pytest.raises(ConfigError, match=message) as info:
        load_config()
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_environment_overrides_endpoints_engine_and_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("LISTEN_GTTS_URL", "http://127.0.0.1:1/x")
    monkeypatch.setenv("LISTEN_EDGE_URL", "ws://127.0.0.1:2/y")
    monkeypatch.setenv("LISTEN_ENGINE", "espeak")
    monkeypatch.setenv("LISTEN_CACHE_DIR", str(tmp_path / "c"))
    config = load_config()
    assert config.engine_table("gtts")["url"] == "http://127.0.0.1:1/x"
    assert config.engine_table("edge")["url"] == "ws://127.0.0.1:2/y"
    assert config.voice.engine == "espeak"
    assert config.output.cache_path == tmp_path / "c"


def test_frozen_and_options_checked_on_the_way_in():
    config = Config()
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.voice.engine = "x"  # type: ignore[misc]
    changed = config.with_options(speed_en=0.8, gap_ms=100, output="out", engine_zh="gtts")
    assert (changed.voice.speed_en, changed.timing.gap_ms, changed.output.dir) == (0.8, 100, "out")
    assert changed.engine_for("zh") == "gtts" and changed.engine_for("en") == "auto"
    with pytest.raises(ConfigError, match="speed_en must be between"):
        config.with_options(speed_en=9.0)


def test_output_identity_leaves_out_what_changes_no_byte():
    identity = Config().output_identity()
    assert "voice.speed_en" in identity and "timing.gap_ms" in identity and "output.artist" in identity
    assert not [k for k in identity if k.startswith(("retry.", "engines"))]
    assert "output.dir" not in identity and "output.jobs" not in identity and "output.cache_dir" not in identity
    assert Config().with_options(jobs=3, output="x", retries=0).output_identity() == identity
    assert Config().with_options(gap_ms=1).output_identity() != identity
