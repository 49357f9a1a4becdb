"""MPEG audio frames: parse headers, skip tags, walk, strip and count frames.

Everything here works on the bytes of the frames; nothing is decoded.
"""

from __future__ import annotations

import mmap
import os
from dataclasses import dataclass
from typing import BinaryIO, Iterator, Union

from ..errors import AudioError

__all__ = [
    "FrameHeader",
    "Mapped",
    "count_frames",
    "frame_spans",
    "iter_frames",
    "mp3_duration",
    "parse_header",
    "strip_to_frames",
]

# --- frame headers ---------------------------------------------------------------------------

# Bitrates in kbit/s by (MPEG-1?, layer) and index 1..14 (0 = free format, 15 = invalid).
_BITRATES = {
    (True, 1): (0, 32, 64, 96, 128, 160, 192, 224, 256, 288, 320, 352, 384, 416, 448),
    (True, 2): (0, 32, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320, 384),
    (True, 3): (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    (False, 1): (0, 32, 48, 56, 64, 80, 96, 112, 128, 144, 160, 176, 192, 224, 256),
    (False, 2): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
    (False, 3): (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_SAMPLE_RATES = {"1": (44100, 48000, 32000), "2": (22050, 24000, 16000), "2.5": (11025, 12000, 8000)}
_VERSIONS = {0b00: "2.5", 0b10: "2", 0b11: "1"}  # 0b01 is reserved
_LAYERS = {0b01: 3, 0b10: 2, 0b11: 1}  # 0b00 is reserved


@dataclass(frozen=True)
class FrameHeader:
    """One decoded 4-byte MPEG audio frame header."""

    version: str  # "1", "2" or "2.5"
    layer: int  # 1, 2 or 3
    bitrate: int  # bit/s
    sample_rate: int  # Hz
    padding: bool
    protected: bool  # a 16-bit CRC follows the header
    channel_mode: int  # 0 stereo, 1 joint stereo, 2 dual channel, 3 mono
    length: int  # bytes, header included
    samples: int  # samples per channel in this frame

    @property
    def channels(self) -> int:
        return 1 if self.channel_mode == 3 else 2

    @property
    def duration(self) -> float:
        return self.samples / self.sample_rate

    @property
    def side_info_size(self) -> int:
        if self.layer != 3:
            return 0
        if self.version == "1":
            return 17 if self.channel_mode == 3 else 32
        return 9 if self.channel_mode == 3 else 17

    def same_stream(self, other: "FrameHeader") -> bool:
        """True when `other` can belong to the same stream (version, layer, rate, channels)."""
        return (
            self.version == other.version
            and self.layer == other.layer
            and self.sample_rate == other.sample_rate
            and self.channels == other.channels
        )


_HEADER_CACHE: dict[int, FrameHeader | None] = {}


def _decode_header(word: int) -> FrameHeader | None:
    if (word >> 21) & 0x7FF != 0x7FF:
        return None
    version = _VERSIONS.get((word >> 19) & 0b11)
    layer = _LAYERS.get((word >> 17) & 0b11)
    bitrate_index = (word >> 12) & 0xF
    rate_index = (word >> 10) & 0b11
    if version is None or layer is None or bitrate_index in (0, 15) or rate_index == 3:
        return None
    if (word & 0b11) == 0b10:  # reserved emphasis
        return None
    mpeg1 = version == "1"
    bitrate = _BITRATES[(mpeg1, layer)][bitrate_index] * 1000
    sample_rate = _SAMPLE_RATES[version][rate_index]
    padding = bool((word >> 9) & 1)
    if layer == 1:
        samples = 384
        length = (12 * bitrate // sample_rate + padding) * 4
    elif layer == 2:
        samples = 1152
        length = 144 * bitrate // sample_rate + padding
    else:
        samples = 1152 if mpeg1 else 576
        length = (144 if mpeg1 else 72) * bitrate // sample_rate + padding
    return FrameHeader(
        version=version,
        layer=layer,
        bitrate=bitrate,
        sample_rate=sample_rate,
        padding=padding,
        protected=not (word >> 16) & 1,
        channel_mode=(word >> 6) & 0b11,
        length=length,
        samples=samples,
    )


def parse_header(data: bytes | bytearray | memoryview | mmap.mmap, offset: int = 0) -> FrameHeader | None:
    """The frame header at `offset`, or None if those 4 bytes are not a valid header."""
    if offset < 0 or offset + 4 > len(data):
        return None
    word = int.from_bytes(data[offset : offset + 4], "big")
    try:
        return _HEADER_CACHE[word]
    except KeyError:
        header = _HEADER_CACHE[word] = _decode_header(word)
        return header


# --- walking the frames of a file ------------------------------------------------------------

_Buffer = Union[bytes, bytearray, memoryview, mmap.mmap]


def _skip_id3v2(data: _Buffer) -> int:
    """Offset just past any ID3v2 tags at the start (several may be chained)."""
    pos = 0
    while len(data) >= pos + 10 and data[pos : pos + 3] == b"ID3":
        flags = data[pos + 5]
        size_bytes = data[pos + 6 : pos + 10]
        if any(b & 0x80 for b in size_bytes):
            break  # not a valid synchsafe size: not a tag
        size = 0
        for b in size_bytes:
            size = (size << 7) | b
        pos += 10 + size + (10 if flags & 0x10 else 0)  # footer flag
    return pos


def _find_first_frame(data: _Buffer, start: int) -> tuple[int, FrameHeader] | None:
    """First offset >= start holding a frame that is followed by a consistent frame (or the end)."""
    end = len(data)
    pos = start
    while True:
        pos = data.find(b"\xff", pos)
        if pos < 0 or pos + 4 > end:
            return None
        header = parse_header(data, pos)
        if header is not None:
            nxt = pos + header.length
            if nxt == end:
                return pos, header
            if nxt < end:
                following = parse_header(data, nxt)
                if following is not None and following.same_stream(header):
                    return pos, header
        pos += 1


def _is_info_frame(data: _Buffer, pos: int, header: FrameHeader) -> bool:
    """True for a Xing/Info (or VBRI) frame: metadata, not audio."""
    if header.layer != 3:
        return False
    base = pos + 4 + header.side_info_size
    for off in (base, base + 2):  # some writers count the CRC, some do not
        if data[off : off + 4] in (b"Xing", b"Info"):
            return True
    return data[pos + 36 : pos + 40] == b"VBRI"


def iter_frames(data: _Buffer, *, skip_info: bool = True) -> Iterator[tuple[int, FrameHeader]]:
    """Yield (offset, header) of each audio frame in `data`.

    Skips ID3v2 tags at the start and junk before the first frame; stops at the first byte that
    does not continue the stream (ID3v1/APE tags, junk, a truncated last frame). With
    `skip_info`, a leading Xing/Info/VBRI frame is not yielded.
    """
    found = _find_first_frame(data, _skip_id3v2(data))
    if found is None:
        return
    pos, first = found
    end = len(data)
    if skip_info and _is_info_frame(data, pos, first):
        pos += first.length
    while pos + 4 <= end:
        header = parse_header(data, pos)
        if header is None or not header.same_stream(first) or pos + header.length > end:
            return
        yield pos, header
        pos += header.length


def frame_spans(data: _Buffer) -> tuple[int, int, int, float]:
    """(start, end, frame_count, seconds) of the contiguous audio frames in `data`."""
    start = end = -1
    count = 0
    seconds = 0.0
    samples = 0
    rate = 0
    for pos, header in iter_frames(data):
        if start < 0:
            start = pos
            rate = header.sample_rate
        end = pos + header.length
        count += 1
        samples += header.samples
    if count:
        seconds = samples / rate
    return start, end, count, seconds


def strip_to_frames(data: bytes) -> bytes:
    """Only the audio frames of an MP3: no ID3v2/ID3v1/APE tags, no Xing/Info/VBRI frame.

    Raises AudioError when `data` holds no valid MPEG audio frame.
    """
    start, end, count, _ = frame_spans(data)
    if not count:
        raise AudioError("not an MP3: no valid MPEG audio frames found")
    return bytes(data[start:end])


class Mapped:
    """Bytes of a path (memory-mapped, so large files cost no memory) or of a bytes object."""

    def __init__(self, source: str | os.PathLike | bytes | bytearray | memoryview):
        self._fh: BinaryIO | None = None
        self._map: mmap.mmap | None = None
        if isinstance(source, (bytes, bytearray, memoryview)):
            self.data: _Buffer = bytes(source) if isinstance(source, memoryview) else source
            return
        try:
            self._fh = open(source, "rb")
            size = os.fstat(self._fh.fileno()).st_size
            if size == 0:
                self.data = b""
            else:
                self._map = mmap.mmap(self._fh.fileno(), 0, access=mmap.ACCESS_READ)
                self.data = self._map
        except OSError as exc:
            self.close()
            raise AudioError(f"cannot read {source}: {exc.strerror or exc}") from exc

    def close(self) -> None:
        if self._map is not None:
            self._map.close()
            self._map = None
        if self._fh is not None:
            self._fh.close()
            self._fh = None

    def __enter__(self) -> "Mapped":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def count_frames(data_or_path: str | os.PathLike | bytes) -> int:
    """Number of audio frames (Xing/Info frame and tags excluded)."""
    with Mapped(data_or_path) as m:
        return frame_spans(m.data)[2]


def mp3_duration(path_or_bytes: str | os.PathLike | bytes) -> float:
    """Duration in seconds from the frames (sum of samples / rate), without decoding."""
    with Mapped(path_or_bytes) as m:
        return frame_spans(m.data)[3]
