"""The one rule for how a document is spoken: Chinese variety, learning direction, order, speed."""

import pytest

from listen.config import ConfigError, TimingSettings, VoiceSettings
from listen.voicing import Voicing


def decide(script, **voice):
    timing = {k: voice.pop(k) for k in list(voice) if k == "zh_first"}
    return Voicing.decide(script, VoiceSettings(**voice), TimingSettings(**timing))


@pytest.mark.parametrize("script, chinese, expected", [
    ("traditional", None, "cantonese"), ("simplified", None, "mandarin"), (None, None, "cantonese"),
    ("traditional", "mandarin", "mandarin"), ("simplified", "cantonese", "cantonese"),
])
def test_spoken_chinese_follows_the_script_unless_set(script, chinese, expected):
    v = decide(script, chinese=chinese)
    assert v.chinese == expected and v.chinese_is_default == (chinese is None)
    assert v.language("zh") == {"cantonese": "yue", "mandarin": "cmn"}[expected] and v.language("en") == "en"


def test_learning_direction_orders_pairs():
    assert decide("traditional").learning == "en" and decide("traditional").order == ("en", "zh")
    assert decide("simplified", learning="zh").order == ("zh", "en")
    assert decide("simplified", learning="zh", zh_first=False).order == ("en", "zh")
    assert decide("traditional", zh_first=True).order == ("zh", "en")


def test_requests_carry_language_script_speed_and_accent():
    v = decide("traditional", speed_zh=0.8, accent="co.uk")
    en, zh = v.request("  Hello\n world ", "en"), v.request("你好", "zh")
    assert (en.text, en.language, en.script, en.speed, en.accent) == ("Hello world", "en", None, 1.0, "co.uk")
    assert (zh.language, zh.script, zh.speed, zh.accent) == ("yue", "traditional", 0.8, None)
    assert v.with_speed(0.6).request("x", "en").speed == 0.6


def test_descriptions():
    assert decide("traditional").describe_chinese() == "Cantonese (Traditional script)"
    assert decide("traditional", chinese="mandarin").describe_chinese() == "Mandarin (Traditional script, set)"
    assert decide(None).describe_chinese() == "none (no Chinese text)"
    assert decide("simplified").describe_learning() == "English (default)"


def test_settings_are_checked_once_where_made():
    with pytest.raises(ConfigError, match="speed_en must be between 0.5 and 2.0, not 3"):
        VoiceSettings(speed_en=3.0)
    with pytest.raises(ConfigError, match="learning must be 'en' or 'zh'"):
        VoiceSettings(learning="fr")
    with pytest.raises(ConfigError, match="gap_ms must be between 0 and 60000 ms"):
        TimingSettings(gap_ms=-1)
