from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from listen.cli import cli
from listen.cli.inspect import display_width, truncate

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "harbour-ferries.txt"


def run(*args, input=None):
    return CliRunner().invoke(cli, ["inspect", *args], input=input, catch_exceptions=False)


def test_readable_output_on_sample(sample_path):
    result = run(str(sample_path))
    assert result.exit_code == 0, result.output
    out = result.output
    assert "2025-05-12" in out
    assert "中俄不會結盟 但會共同抵制美國" in out
    assert "utf-8" in out
    assert "Chinese voice: Cantonese (Traditional script)" in out
    lines = out.splitlines()
    pair1 = next(line for line in lines if line.startswith("Pair 1 "))
    assert "EN –" in pair1 and "ZH 1 國家主席習近平" in pair1
    pair2 = next(line for line in lines if line.startswith("Pair 2 "))
    assert "EN 1 The primary purpose" in pair2 and "ZH 2 習近平" in pair2
    assert "face off" in out and "subvert" in out
    assert "Notes (1):\n  - Chinese paragraph 1 has no English counterpart (before the translation starts)." in out
    assert "Warnings" not in out
    # the ZH columns start at the same display column on every pair line
    pair_lines = [line for line in lines if line.startswith("Pair ")]
    columns = {display_width(line[: line.index(" | ")]) for line in pair_lines}
    assert len(columns) == 1


def test_json_shape(sample_path):
    result = run(str(sample_path), "--json")
    data = json.loads(result.output)
    first = data["pairs"][0]
    assert (first["en"], first["zh"]) == ([], [0])
    assert first["sentences"]["en"] == [] and len(first["sentences"]["zh"]) == 2
    assert first["sentences"]["beads"] == [{"en": [], "zh": [0]}, {"en": [], "zh": [1]}]
    assert set(data["pairs"][1]) == {"en", "zh", "sentences"}
    assert set(data["pairs"][1]["sentences"]) == {"en", "zh", "beads"}
    assert len(data["sentence_alignment"]) == len(data["pairs"])
    assert data["paragraphs"]["en"][0]["sentences"][0].startswith("The primary purpose")
    assert set(data) >= {"source", "date", "title", "script", "encoding", "paragraphs", "pairs", "glossary", "warnings"}


def test_options():
    result = run(str(EXAMPLE), "--chinese", "mandarin", "--pairs", "1:1, 2:2+3, 3:4, 4:5")
    assert result.exit_code == 0
    assert "Chinese voice: Mandarin" in result.output
    assert "English paragraph 2 is matched to two Chinese paragraphs (2, 3)" in result.output
    simplified = "date 2025-01-01 One sentence here.\n\n这是简体中文的段落。\n"
    result = run("-", input=simplified.encode("utf-8"))
    assert result.exit_code == 0
    assert "Chinese voice: Mandarin (Simplified script)" in result.output


def test_encoding_option(tmp_path):
    path = tmp_path / "b5.txt"
    path.write_bytes(EXAMPLE.read_text(encoding="utf-8").encode("big5"))
    result = run(str(path), "--encoding", "big5hkscs", "--json")
    assert json.loads(result.output)["encoding"] == "big5hkscs"


@pytest.mark.parametrize(
    "args, message",
    [
        (["missing.txt"], "missing.txt does not exist."),
        ([str(EXAMPLE), "--pairs", "1:1"], "--pairs: "),
        ([str(EXAMPLE), "--encoding", "klingon"], "Unknown encoding"),
    ],
)
def test_errors_are_one_line(args, message):
    result = CliRunner().invoke(cli, ["inspect", *args])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_bad_input_subprocess(tmp_path):
    path = tmp_path / "x.bin"
    path.write_bytes(bytes(range(256)) * 8)
    proc = subprocess.run(
        [sys.executable, "-m", "listen", "inspect", str(path)], capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert lines == ["listen: error: x.bin looks like a binary file, not a text."]
    assert proc.stdout == ""


@pytest.mark.parametrize(
    "text, width, expected",
    [("abcdef", 4, "abc…"), ("中文字串", 5, "中文…"), ("short", 10, "short"), ("a  b\nc", 10, "a b c")],
)
def test_truncate(text, width, expected):
    assert truncate(text, width) == expected
    assert display_width(truncate(text, width)) <= width
