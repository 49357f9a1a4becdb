"""What the timed text of a track must say: one line per sentence (or per segment that has none)."""

from __future__ import annotations


def expected_cues(track: dict) -> list[tuple[float, float, str]]:
    """(start_s, end_s, text) of every sentence of a manifest track, in order."""
    out = []
    for segment in track["segments"]:
        sentences = segment.get("sentences") or []
        if sentences:
            out += [(s["start_s"], s["end_s"], s["text"]) for s in sentences]
        else:
            out.append((segment["start_s"], segment["end_s"], segment["text"]))
    return out


def lrc_matches(lrc: list[tuple[float, str]], track: dict) -> bool:
    """The LRC lines (parsed) start at the manifest's sentence times (centiseconds) with their text."""
    expected = [(round(start, 2), " ".join(text.split())) for start, _, text in expected_cues(track)]
    return [(round(t, 2), text) for t, text in lrc] == expected


# Each segment MP3 begins with its lead frames (audio.encode.LEAD_FRAMES), the part of the next
# frame before the sound (the encoder delay's fraction of a frame, 1105 samples = 1.918 frames)
# and the trim pad (audio.format.TRIM_PAD_S, 5 ms); it ends with the trim pad, the rest of the
# frame the sound ends in and its tail frames (TAIL_FRAMES): sound lies that far inside its times.
LEAD_S = 2 * 0.024 + (1105 / 576 % 1) * 0.024 + 0.005
TAIL_S = 0.005 + 0.024 + 2 * 0.024 + 0.03  # + the quiet end of a sound below the threshold


def assert_sentence_times_match_audio(path, track: dict, *, lead_s: float = LEAD_S, tail_s: float = TAIL_S,
                                      frame_s: float = 0.024) -> int:
    """Decode `path` and check every sentence's start and end against the audio: the silence
    between sentences is silent, and each sentence's sound begins within its lead (plus one frame)
    of its start and ends within its tail of its end. Returns how many sentences it checked."""
    from support.probe import decode_pcm

    rate, samples = decode_pcm(path)
    threshold = 300  # well above decoded digital silence, well below speech

    def loud(a: float, b: float) -> list[int]:
        lo, hi = max(0, int(a * rate)), min(len(samples), int(b * rate))
        return [i for i in range(lo, hi) if abs(samples[i]) > threshold]

    cues = expected_cues(track)
    for (start, end, text), nxt in zip(cues, cues[1:] + [None]):
        inside = loud(start, end)
        assert inside, f"no sound in {text[:30]!r}"
        onset, offset = inside[0] / rate, inside[-1] / rate
        assert start <= onset <= start + lead_s + frame_s, (text[:30], start, onset)
        assert end - tail_s - frame_s <= offset <= end, (text[:30], end, offset)
        if nxt is not None and nxt[0] - end > 2 * frame_s:
            assert not loud(end + frame_s, nxt[0] - frame_s), f"sound between {text[:30]!r} and the next"
    return len(cues)
