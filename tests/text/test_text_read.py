from __future__ import annotations

import os

import pytest

from listen.errors import InputError, UsageError
from listen.text.read import decode, read_source

TRAD = "國家主席結束對俄羅斯訪問，這是在敏感背景下的訪問。\nThe visit was watched closely by the US.\n"
SIMP = "国家主席结束对俄罗斯访问，这是在敏感背景下的访问。\nThe visit was watched closely by the US.\n"


@pytest.mark.parametrize(
    "text, encoding, expected",
    [
        (TRAD, "utf-8", "utf-8"),
        (TRAD, "utf-8-sig", "utf-8-sig"),
        (TRAD, "utf-16", "utf-16"),
        (TRAD, "utf-16-le", "utf-16-le"),
        (TRAD, "utf-16-be", "utf-16-be"),
        (TRAD, "big5", "big5hkscs"),
        (TRAD, "big5hkscs", "big5hkscs"),
        (SIMP, "gb18030", "gb18030"),
        (SIMP, "gb2312", "gb18030"),
    ],
)
def test_detects_encoding(tmp_path, text, encoding, expected):
    path = tmp_path / "a.txt"
    path.write_bytes(text.encode(encoding))
    got, used = read_source(str(path))
    assert got == text
    assert used == expected


def test_big5_with_many_lines_comes_back_traditional():
    text = (TRAD * 30).encode("big5")
    got, used = decode(text)
    assert used == "big5hkscs" and "國家" in got


def test_forced_encoding_and_unknown_codec():
    assert decode(TRAD.encode("big5"), "big5")[0] == TRAD
    with pytest.raises(UsageError):
        decode(b"abc", "no-such-codec")
    with pytest.raises(InputError, match="Cannot decode"):
        decode("é".encode("latin-1") + b"\xff", "utf-8")


@pytest.mark.parametrize(
    "raw, expected",
    [
        (b"a\r\nb\rc", "a\nb\nc"),
        ("x\u00a0y\u3000z".encode(), "x y z"),
        ("a\u200bb\u200c\u200dc\u2060d\ufeffe".encode(), "abcde"),
        (b"a\x07b\tc\x1bd", "ab\tcd"),
        ("e\u0301".encode(), "\u00e9"),
    ],
)
def test_normalises(raw, expected):
    assert decode(raw)[0] == expected


@pytest.mark.parametrize(
    "data, message",
    [
        (b"", "x.txt is empty."),
        (b"  \n\t\r\n", "x.txt is empty."),
        (b"\x00\x01\x02\x03PK\x03\x04" * 50, "x.txt looks like a binary file, not a text."),
        (bytes(range(256)) * 4, "x.txt looks like a binary file, not a text."),
    ],
)
def test_bad_input_messages(tmp_path, data, message):
    path = tmp_path / "x.txt"
    path.write_bytes(data)
    with pytest.raises(InputError) as err:
        read_source(str(path))
    assert str(err.value) == message


def test_missing_file_and_directory(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        read_source(str(tmp_path / "nope.txt"))
    with pytest.raises(InputError, match="is a directory"):
        read_source(str(tmp_path))


def test_stdin(monkeypatch):
    import io
    import sys

    class Fake:
        buffer = io.BytesIO(TRAD.encode("utf-16"))

    monkeypatch.setattr(sys, "stdin", Fake)
    assert read_source("-") == (TRAD, "utf-16")


@pytest.mark.slow
def test_large_inputs_decode():
    data = (TRAD * 1).encode("utf-8") * (10_000_000 // len(TRAD.encode("utf-8")))  # 10 MB
    text, used = decode(data)
    assert used == "utf-8" and len(text) > 1_000_000
    big5 = (TRAD.encode("big5")) * 60_000  # ~5 MB
    got, used = decode(big5)
    assert used == "big5hkscs" and got.startswith(TRAD.strip()[:10])


from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@settings(max_examples=100, deadline=None)
@given(st.binary(max_size=200))
def test_decode_arbitrary_bytes(data):
    try:
        text, used = decode(data)
    except InputError:
        return
    assert text.strip() and used
    assert "\r" not in text and "\u200b" not in text and "\x00" not in text


@settings(max_examples=60, deadline=None)
@given(st.text(max_size=200), st.sampled_from(["utf-8", "utf-16", "big5hkscs", "gb18030"]))
def test_decode_parse_align_never_crash(text, encoding):
    from listen.text.align import align
    from listen.text.parse import parse

    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return
    try:
        decoded, _ = decode(data)
    except InputError:
        return
    doc = parse(decoded)
    pairs = align([p.text for p in doc.en], [p.text for p in doc.zh])
    assert [k for p in pairs for k in p.en] == list(range(len(doc.en)))
    assert [k for p in pairs for k in p.zh] == list(range(len(doc.zh)))


# -- the read limit ---------------------------------------------------------------------------


@pytest.mark.parametrize("size, limit, whole", [
    (0, 10, True), (10, 10, True), (11, 10, False), (5_000_000, 5_000_000, True), (5_000_001, 5_000_000, False),
])
def test_read_at_most_a_regular_file(tmp_path, size, limit, whole):
    from listen.fsutil import read_at_most

    path = tmp_path / "f"
    path.write_bytes(b"x" * size)
    with open(path, "rb") as fh:
        got = read_at_most(fh, limit)
    assert got == (b"x" * size if whole else None)


@pytest.mark.parametrize("size, limit, whole", [(0, 10, True), (10, 10, True), (11, 10, False),
                                                (3_000_000, 3_000_000, True), (3_000_001, 3_000_000, False)])
def test_read_at_most_a_pipe(size, limit, whole):
    import os
    import threading

    from listen.fsutil import read_at_most

    r, w = os.pipe()

    def write():
        with open(w, "wb") as fh:
            try:
                fh.write(b"y" * size)
            except BrokenPipeError:
                pass

    writer = threading.Thread(target=write)
    writer.start()
    with open(r, "rb") as fh:
        got = read_at_most(fh, limit)
    writer.join()
    assert got == (b"y" * size if whole else None)


def test_read_at_most_a_file_whose_size_says_zero():
    """/proc files report size 0: the size is only a hint, the file is read to its end."""
    from listen.fsutil import read_at_most

    with open("/proc/self/status", "rb") as fh:
        assert os.fstat(fh.fileno()).st_size == 0
        got = read_at_most(fh, 1_000_000)
    assert got and got.startswith(b"Name:")


def test_read_source_refuses_past_the_limit_and_names_the_input(tmp_path, monkeypatch):
    import io
    import sys

    from listen.errors import InputTooLarge

    path = tmp_path / "big.txt"
    path.write_bytes(TRAD.encode("utf-8") * 1000)
    size = path.stat().st_size
    assert read_source(str(path), max_bytes=size)[0].startswith(TRAD.strip()[:5])
    with pytest.raises(InputTooLarge) as info:
        read_source(str(path), max_bytes=size - 1)
    assert str(info.value) == f"{path} is larger than {(size - 1) / 1e6:g} MB ({size / 1e6:.1f} MB)."

    class Fake:
        buffer = io.BytesIO(b"x" * 2_000_001)

    monkeypatch.setattr(sys, "stdin", Fake)
    with pytest.raises(InputTooLarge, match=r"^Standard input is larger than 2 MB\.$"):
        read_source("-", max_bytes=2_000_000)
