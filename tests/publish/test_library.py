"""Scanning a folder for built articles."""

from __future__ import annotations

import json

from listen.output.library import scan


def test_scan_newest_first_nested_and_broken(library):
    warnings: list[str] = []
    articles = scan(library, on_warning=warnings.append)
    assert [a.article.date for a in articles] == ["2025-05-12", "2025-03-01", "2024-11-03"]
    assert [a.rel for a in articles] == ["mingpao-2025-05-12", "mingpao-2025-03-01", "2024/op-ed 2024-11-03"]
    first = articles[0]
    assert first.article.name == "mingpao-2025-05-12" and first.dir == library / "mingpao-2025-05-12"
    assert first.article.titles.both("") == "延長圖書館開放時間 善用公共空間 / Keep libraries open longer"
    assert first.article.label == "2025-05-12 延長圖書館開放時間 善用公共空間"
    assert first.article.version == 1  # read and migrated: version-1 folders still serve
    assert first.main_track.file == "alternating.mp3" and first.main_track.lrc == "alternating.lrc"
    assert first.article.paragraphs["en"][0].text.startswith("The Leisure and Cultural Services Department")
    assert len(warnings) == 1 and "broken" in warnings[0]


def test_scan_skips_symlinked_dirs_and_missing_root(library, tmp_path):
    assert all("leakdir" not in a.rel for a in scan(library, on_warning=lambda m: None))
    assert scan(tmp_path / "missing") == []


def test_undated_last_and_logger_warning(tmp_path, caplog):
    for name, date in (("b", None), ("a", "2020-01-01"), ("c", "2021-01-01")):
        (tmp_path / name).mkdir()
        (tmp_path / name / "manifest.json").write_text(json.dumps({"name": name, "date": date, "tracks": []}))
    (tmp_path / "x").mkdir()
    (tmp_path / "x" / "manifest.json").write_text('["not", "a", "manifest"]')
    (tmp_path / "manifest.json").write_text("{}")  # the root itself is not an article
    with caplog.at_level("WARNING", logger="listen.output"):
        articles = scan(tmp_path)
    assert [a.article.name for a in articles] == ["c", "a", "b"]
    assert any("x" in r.getMessage() for r in caplog.records)
