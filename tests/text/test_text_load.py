from __future__ import annotations

from pathlib import Path

import pytest

from listen.errors import InputError, UsageError
from listen.model import Pair
from listen.text import load_document, load_text

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "harbour-ferries.txt"
FIXTURES = REPO / "tests" / "fixtures" / "text"



def paragraphs(pairs):
    """The paragraph pairs alone (sentence beads aside)."""
    return [Pair(p.en, p.zh) for p in pairs]

def test_sample_end_to_end(sample_path):
    doc = load_document(str(sample_path))
    data = doc.to_json()
    assert data["date"] == "2025-05-12"
    assert data["title"]["zh"] == "中俄不會結盟 但會共同抵制美國"
    assert data["encoding"] == "utf-8" and data["script"] == "traditional"
    assert len(data["paragraphs"]["en"]) == 5 and len(data["paragraphs"]["zh"]) == 6
    assert [g["term"] for g in data["glossary"]] == ["face off", "stand-off", "subvert"]
    assert [{"en": p["en"], "zh": p["zh"]} for p in data["pairs"]] == \
        [{"en": [], "zh": [0]}] + [{"en": [i], "zh": [i + 1]} for i in range(5)]
    for pair in data["pairs"]:  # every sentence of the pair in exactly one bead, in order
        sentences, beads = pair["sentences"], pair["sentences"]["beads"]
        for lang in ("en", "zh"):
            assert [k for b in beads for k in b[lang]] == list(range(len(sentences[lang])))
            assert sentences[lang] == [s for i in pair[lang] for s in data["paragraphs"][lang][i]["sentences"]]
    # Ming Pao's translations leave out the lead: information, said once, not a warning.
    assert data["warnings"] == []
    assert data["notes"] == ["Chinese paragraph 1 has no English counterpart (before the translation starts)."]


def test_example_parses_and_aligns():
    doc = load_document(str(EXAMPLE))
    assert doc.date == "2026-03-14"
    assert doc.title_zh and doc.title_zh.startswith("天星小輪")
    assert (len(doc.en), len(doc.zh)) == (4, 5)
    assert doc.script == "traditional"
    assert paragraphs(doc.pairs) == [Pair((0,), (0,)), Pair((1,), (1,)), Pair((), (2,)), Pair((2,), (3,)), Pair((3,), (4,))]
    assert len(doc.glossary) == 3
    english = " ".join(p.text for p in doc.en).lower()
    assert any(g.term.lower() in english for g in doc.glossary)
    assert all(2 <= len(p.sentences) <= 3 for p in doc.en + doc.zh)
    assert doc.warnings == ["Chinese paragraph 3 has no English counterpart"]


def test_pairs_override_and_sidecar(tmp_path, sample_path):
    spec = "-:1, 1:2, 2:3, 3+4:4+5, 5:6"
    doc = load_document(str(sample_path), pairs=spec)
    assert paragraphs(doc.pairs)[3] == Pair((2, 3), (3, 4))
    assert "English paragraphs 3, 4 are matched to Chinese paragraphs 4, 5" in doc.warnings

    copy = tmp_path / "ed.txt"
    copy.write_bytes(sample_path.read_bytes())
    (tmp_path / "ed.txt.pairs").write_text("# manual\n-:1\n1:2+3\n2:4\n3:5\n4+5:6\n", encoding="utf-8")
    doc = load_document(str(copy))
    assert paragraphs(doc.pairs)[1] == Pair((0,), (1, 2))
    assert "English paragraph 1 is matched to two Chinese paragraphs (2, 3)" in doc.warnings
    assert "Chinese paragraph 6 is matched to two English paragraphs (4, 5)" in doc.warnings
    # --pairs wins over the sidecar
    assert paragraphs(load_document(str(copy), pairs="-:1,1:2,2:3,3:4,4:5,5:6").pairs)[1] == Pair((0,), (1,))

    (tmp_path / "ed.txt.pairs").write_text("1:1\n", encoding="utf-8")
    with pytest.raises(UsageError, match=r"^ed\.txt\.pairs: "):
        load_document(str(copy))


@pytest.mark.parametrize(
    "text, message",
    [
        ("■ Glossary 生字 /\n\nsubvert : to destroy\n", "x.txt contains no English or Chinese paragraphs to read."),
        ("date 2025-05-12\n\n----\n", "x.txt contains no English or Chinese paragraphs to read."),
    ],
)
def test_no_paragraphs(text, message):
    with pytest.raises(InputError) as err:
        load_text(text, "dir/x.txt")
    assert str(err.value) == message


def test_glossary_only_fixture():
    with pytest.raises(InputError, match="contains no English or Chinese paragraphs"):
        load_document(str(FIXTURES / "glossary-only.txt"))


def test_monolingual_is_fine():
    doc = load_text("Only English. Two sentences here.\n\nAnother paragraph.", "en.txt")
    assert paragraphs(doc.pairs) == [Pair((0,), ()), Pair((1,), ())]
    assert any(w.startswith("No Chinese paragraphs found") for w in doc.warnings)
    assert doc.script is None


@pytest.mark.parametrize("encoding", ["big5", "gb18030", "utf-16", "utf-8-sig"])
def test_encodings_end_to_end(tmp_path, encoding):
    text = EXAMPLE.read_text(encoding="utf-8")
    path = tmp_path / f"ferries-{encoding}.txt"
    path.write_bytes(text.encode(encoding))
    doc = load_document(str(path))
    assert (len(doc.en), len(doc.zh)) == (4, 5)
    assert doc.zh[0].text.startswith("天星小輪在維多利亞港")
    assert doc.script == "traditional"
    assert doc.encoding == {"big5": "big5hkscs"}.get(encoding, encoding)
    assert len(doc.glossary) == 3
