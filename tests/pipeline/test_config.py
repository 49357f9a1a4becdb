import pytest

from listen.config import Config, load_config
from listen.errors import ConfigError


def test_defaults_without_a_config_file():
    assert load_config() == Config(gtts_url=load_config().gtts_url, cache_dir=load_config().cache_dir)
    assert load_config().engine == "auto"


def test_config_file_sets_defaults(tmp_path, monkeypatch):
    path = tmp_path / "c.toml"
    path.write_text('engine = "espeak"\nchinese = "mandarin"\nspeed_en = 1\ngap_ms = 300\nzh_first = true\n')
    monkeypatch.setenv("LISTEN_CONFIG", str(path))
    config = load_config()
    assert (config.engine, config.chinese, config.speed_en, config.gap_ms, config.zh_first) == (
        "espeak", "mandarin", 1.0, 300, True)


@pytest.mark.parametrize(
    "text, message",
    [
        ("engine = ", "Cannot read config file"),
        ("colour = 'red'", "Unknown key 'colour'"),
        ("gap_ms = 'long'", "must be int"),
        ("speed_zh = 3.0", "speed-zh must be between 0.5 and 2.0"),
        ("chinese = 'hakka'", "chinese must be 'mandarin' or 'cantonese'"),
        ("chinese = 5", "Config key 'chinese' .* must be str, not 5"),
        ("cache_dir = 5", "Config key 'cache_dir' .* must be str, not 5"),
        ("gap_ms = true", "Config key 'gap_ms' .* must be int, not True"),
        ("speed_en = true", "Config key 'speed_en' .* must be float, not True"),
        ("jobs = -2", "jobs must be 0 \\(one per CPU\\) or more, not -2"),
    ],
)
def test_bad_config_is_one_clear_error(tmp_path, monkeypatch, text, message):
    path = tmp_path / "c.toml"
    path.write_text(text)
    monkeypatch.setenv("LISTEN_CONFIG", str(path))
    with pytest.raises(ConfigError, match=message):
        load_config()


def test_environment_overrides_endpoint_and_cache(monkeypatch, tmp_path):
    monkeypatch.setenv("LISTEN_GTTS_URL", "http://127.0.0.1:1/x")
    monkeypatch.setenv("LISTEN_CACHE_DIR", str(tmp_path / "c"))
    config = load_config()
    assert config.gtts_url == "http://127.0.0.1:1/x"
    assert config.cache_path() == tmp_path / "c"
