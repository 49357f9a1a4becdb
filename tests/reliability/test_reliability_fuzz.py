"""Bad input never gives a traceback: the reader, the parser and the aligner either succeed or
raise a ListenError (one line for the user). Arbitrary bytes and Unicode, mixed scripts,
control characters, very long lines and a 10 MB input. And valid input, generated in every
layout and encoding an editorial comes in, always succeeds with exactly what was put in it."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from listen.errors import ListenError
from listen.model import Document
from listen.text import load_document, load_text
from listen.text.align import align, parse_pairs
from listen.text.read import decode, normalise

# LISTEN_FUZZ_EXAMPLES=5000 for a longer hunt.
FUZZ = settings(max_examples=int(os.environ.get("LISTEN_FUZZ_EXAMPLES", "150")), deadline=None,
                suppress_health_check=[HealthCheck.too_slow])

# Pieces an editorial is made of, and things that break naive parsers.
PIECES = [
    "The ferry leaves at seven.", "Prices rose, but the regulars stayed!", "Mr. Chan said: \"no\".",
    "渡輪七時開出。", "票價加到五元，熟客沒有離開。", "国际关系的基本准则。", "「平起平坐」", "（社評）",
    "2025-05-12", "明報社評2025.05.12：", "date 2025-05-12", "■ Glossary 生字 /", "■", "Glossary",
    "term : a definition", "生字 : 定義", ":", "：", "-", "•", "1.", "(a)", "\n", "\n\n", "\n\n\n", " ", "\t",
    "\r\n", "\r", "\u2028", "\u2029", "\x00", "\x1b", "\x7f", "\x85", "\u200b", "\ufeff", "\u3000", "\u00a0",
    "\ud7ff", "\U0001f600", "\U00020000", "é", "e\u0301", "ﬁ", "Ⅻ", "١٢٣", "עברית", "русский", "ひらがな",
    "한국어", "x" * 300, "字" * 300, "?" * 50, "。" * 50, "...", "……",
]

texts = st.one_of(
    st.lists(st.sampled_from(PIECES), max_size=40).map("".join),
    st.text(max_size=400),
    st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=20)), max_size=30).map("".join),
)


def check_document(doc: Document) -> None:
    assert doc.en or doc.zh
    for p in doc.en + doc.zh:
        assert p.text.strip()
    # The alignment uses every paragraph exactly once.
    en = sorted(i for pair in doc.pairs for i in pair.en)
    zh = sorted(i for pair in doc.pairs for i in pair.zh)
    assert en == list(range(len(doc.en))) and zh == list(range(len(doc.zh)))
    assert all(pair.en or pair.zh for pair in doc.pairs)
    doc.to_json()
    assert doc.name


@FUZZ
@given(st.binary(max_size=3000))
def test_decode_arbitrary_bytes(data):
    try:
        text, encoding = decode(data)
    except ListenError:
        return
    assert isinstance(text, str) and text.strip() and encoding


@FUZZ
@given(texts)
def test_load_text_arbitrary_unicode(text):
    try:
        doc = load_text(normalise(text), "fuzz.txt")
    except ListenError:
        return
    check_document(doc)


@FUZZ
@given(texts, st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "big5hkscs", "gb18030"]))
def test_load_document_arbitrary_files(tmp_path_factory, text, encoding):
    path = tmp_path_factory.mktemp("fuzz") / "article.txt"
    path.write_bytes(text.encode(encoding, errors="ignore"))
    try:
        doc = load_document(str(path))
    except ListenError:
        return
    check_document(doc)


@FUZZ
@given(st.lists(texts, max_size=12), st.lists(texts, max_size=12))
def test_align_arbitrary_paragraphs(en, zh):
    try:
        pairs = align(en, zh)
    except ListenError:
        return
    assert sorted(i for p in pairs for i in p.en) == list(range(len(en)))
    assert sorted(i for p in pairs for i in p.zh) == list(range(len(zh)))


@FUZZ
@given(
    st.one_of(st.text(max_size=60), st.text(alphabet="0123456789:+-, \n#", max_size=40)),
    st.integers(0, 8),
    st.integers(0, 8),
)
def test_parse_pairs_arbitrary_specs(spec, n_en, n_zh):
    try:
        pairs = parse_pairs(spec, n_en, n_zh)
    except ListenError:
        return
    assert all(0 <= i < n_en for p in pairs for i in p.en)
    assert all(0 <= i < n_zh for p in pairs for i in p.zh)


# --- valid editorials: they must succeed, with exactly the paragraphs, pairs and terms put in ---

EN_SENTENCES = [
    "The ferry leaves at seven.", "Prices rose, but the regulars stayed.", "Officials promised a review by June.",
    "Few passengers complained about the new timetable.", "The operator says the route still loses money.",
    "A subsidy would keep fares at five dollars.", "Critics want the plan published in full.",
    "Nobody doubts that the harbour needs its ferries.", "The council will vote on Tuesday.",
]
ZH_SENTENCES = [
    "渡輪七時開出。", "票價加到五元，熟客沒有離開。", "官員承諾六月前完成檢討。", "新時間表沒有引起太多投訴。",
    "營辦商表示航線仍然虧損。", "政府資助可以把票價維持在五元。", "批評者要求公開整個計劃。", "議會將於周二表決。",
]
TERMS = [("subsidy", "money paid to keep a price low"), ("review", "a careful look at something"),
         ("timetable", "a list of the times when buses or ferries leave"), ("fare", "the money a passenger pays")]


@st.composite
def editorials(draw):
    """(text, what it holds): a date, N English and M Chinese paragraphs, a Chinese title and K
    glossary terms, laid out as a Ming Pao editorial with varied spacing and line endings."""
    paragraph = lambda pool: " ".join(draw(st.lists(st.sampled_from(pool), min_size=1, max_size=4, unique=True)))  # noqa: E731
    en = [paragraph(EN_SENTENCES) for _ in range(draw(st.integers(1, 6)))]
    zh = [paragraph(ZH_SENTENCES).replace(" ", "") for _ in range(draw(st.integers(1, 7)))]
    terms = draw(st.lists(st.sampled_from(TERMS), max_size=4, unique=True))
    day = draw(st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2039, 12, 31)))
    gap = draw(st.sampled_from(["\n\n", "\n\n\n", "\n \n"]))
    lines = [f"date {day.isoformat()} {en[0]}", *en[1:], f"社評{day:%Y.%m.%d}：渡輪航線要保留", *zh]
    if terms:
        lines += ["■ Glossary 生字 /", *(f"{term} : {definition}" for term, definition in terms)]
    text = gap.join(lines) + "\n"
    if draw(st.booleans()):
        text = text.replace("\n", "\r\n")
    return text, {"date": day.isoformat(), "en": en, "zh": zh, "terms": [t for t, _ in terms]}


def assert_holds(doc: Document, expected: dict) -> None:
    check_document(doc)
    assert doc.date == expected["date"]
    assert [p.text for p in doc.en] == expected["en"]
    assert [p.text for p in doc.zh] == expected["zh"]
    assert [g.term for g in doc.glossary] == expected["terms"]
    assert doc.title_zh == "渡輪航線要保留"


@FUZZ
@given(editorials())
def test_valid_editorials_always_load_with_what_they_hold(case):
    text, expected = case
    assert_holds(load_text(normalise(text), "valid.txt"), expected)


@FUZZ
@given(editorials(), st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "big5hkscs", "gb18030"]))
def test_valid_editorials_load_in_every_encoding(tmp_path_factory, case, encoding):
    text, expected = case
    path = tmp_path_factory.mktemp("valid") / "article.txt"
    path.write_bytes(text.encode(encoding))
    doc = load_document(str(path))
    assert_holds(doc, expected)
    assert doc.encoding == encoding


@pytest.mark.parametrize(
    "make",
    [
        pytest.param(lambda: "x" * 10_000_000, id="10MB-one-word"),
        pytest.param(lambda: "\x00\x01\x02binary" * 1_000_000, id="10MB-binary"),
    ],
)
def test_very_large_inputs_are_handled_or_refused_in_one_line(tmp_path, make):
    path = tmp_path / "big.txt"
    path.write_bytes(make().encode("utf-8"))
    try:
        doc = load_document(str(path))
    except ListenError as exc:
        assert "\n" not in str(exc)
    else:
        check_document(doc)


@pytest.mark.slow
def test_a_valid_input_just_under_the_10_mb_limit_loads_whole(tmp_path):
    path = tmp_path / "big.txt"
    path.write_bytes(("The ferry leaves at seven. Most passengers read.\n\n渡輪七時開出。乘客看書。\n\n" * 113_000).encode())
    assert 9_900_000 < path.stat().st_size <= 10_000_000
    doc = load_document(str(path))
    check_document(doc)
    assert len(doc.en) == len(doc.zh) == len(doc.pairs) == 113_000
    assert all(pair.en == (i,) and pair.zh == (i,) for i, pair in enumerate(doc.pairs))


def test_a_long_line_of_sentences_does_not_hang(tmp_path):
    path = tmp_path / "long-line.txt"
    path.write_text(("The ferry leaves at seven. " * 4 + "渡輪七時開出。" * 4) * 1_100, "utf-8")  # 150 KB, one line
    code = "import sys; from listen.text import load_document; load_document(sys.argv[1])"
    try:
        # A hang guard, not a speed claim: this took minutes when sentence splitting was quadratic.
        done = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        pytest.fail("reading a 150 KB line did not finish within 60 s")
    assert done.returncode == 0, done.stderr
