"""The batch encoder: segments cut from one long-lived encoder stream per input format."""

from __future__ import annotations

import math
import stat
import subprocess

import pytest
from audio_helpers import tone

from listen.audio.canonical import FRAME_SAMPLES, FRAME_SECONDS
from listen.audio.encode import LEAD_FRAMES, TAIL_FRAMES, Encoder, Finished, encode_segments
from listen.audio.frames import count_frames, iter_frames
from listen.audio.join import join_mp3
from listen.audio.silence import Silence
from listen.errors import AudioError
from support.probe import decode_samples, decoded_duration, largest_jumps

HANG_GUARD_S = 60  # not a timing assertion: a broken stream would otherwise wait for ever


def _finished(seconds: float, rate: int = 24000, freq: float = 440.0, amp: float = 0.3) -> Finished:
    return Finished(tone(seconds, rate=rate, freq=freq, amp=amp), rate)


def _canonical_frames(data: bytes) -> list:
    headers = [h for _, h in iter_frames(data, skip_info=False)]
    assert sum(h.length for h in headers) == len(data)  # nothing but frames
    assert {(h.version, h.layer, h.sample_rate, h.channels, h.bitrate) for h in headers} == {("2", 3, 24000, 1, 48000)}
    return headers


@pytest.mark.parametrize("rate", [24000, 22050])
def test_a_segment_is_its_sound_and_the_same_few_silent_frames_at_each_end(rate):
    # 1 s of tone: the frames it is heard in (42 or 43) plus LEAD_FRAMES and TAIL_FRAMES.
    for seconds in (1.0, 0.37, 2.011):
        [data] = encode_segments([_finished(seconds, rate, amp=0.5)])
        frames = len(_canonical_frames(data))
        sound = seconds / FRAME_SECONDS
        assert math.ceil(sound) + LEAD_FRAMES + TAIL_FRAMES <= frames <= math.ceil(sound) + 1 + LEAD_FRAMES + TAIL_FRAMES
        samples = decode_samples(data)
        loud = [i for i, x in enumerate(samples) if abs(x) > 300]
        # The sound starts in the frame after the lead frames and ends in the one before the tail frames.
        assert loud[0] // FRAME_SAMPLES == LEAD_FRAMES, (seconds, rate, loud[0])
        assert frames - 1 - loud[-1] // FRAME_SAMPLES == TAIL_FRAMES, (seconds, rate, loud[-1])


@pytest.mark.parametrize("rate", [24000, 22050])
def test_a_segment_has_the_same_bytes_wherever_it_is_in_the_stream(rate):
    a = _finished(1.3, rate, freq=300)
    b = _finished(2.17, rate, freq=500, amp=0.9)
    alone = encode_segments([a])[0]
    first, _, again, _ = encode_segments([a, b, a, b])
    assert alone == first == again


def test_segments_start_and_end_in_digital_silence_so_joins_do_not_click(tmp_path):
    loud = [_finished(0.5 + 0.37 * i, freq=200 + 150 * i, amp=0.9) for i in range(4)]
    parts = encode_segments(loud)
    for data in parts:
        samples = decode_samples(data)
        assert len(samples) == count_frames(data) * FRAME_SAMPLES  # decoded = frames, exactly
        edge = FRAME_SAMPLES  # one frame at each end holds nothing audible (below -60 dBFS)
        assert max(map(abs, samples[:edge])) < 33 and max(map(abs, samples[-edge:])) < 33
        assert max(map(abs, samples)) > 0.8 * 32768
    # Joined back to back and with silences, as a track is: no step at any join.
    track = tmp_path / "track.mp3"
    spans = join_mp3([parts[0], parts[1], Silence(0.7), parts[2], parts[3]], track)
    joins = [start for start, _ in spans[1:]]
    assert all(jump <= -48.0 for jump in largest_jumps(decode_samples(track), joins))
    assert decoded_duration(track) == pytest.approx(spans[-1][1], abs=1e-9)


def test_tempo_is_applied_in_the_stream():
    [normal, fast] = encode_segments([_finished(3.0), Finished(tone(3.0), 24000, 1.5)])
    edges = (LEAD_FRAMES + TAIL_FRAMES + 0.5) * FRAME_SECONDS
    assert count_frames(normal) * FRAME_SECONDS == pytest.approx(3.0 + edges, abs=FRAME_SECONDS)
    assert count_frames(fast) * FRAME_SECONDS == pytest.approx(2.0 + edges, abs=2 * FRAME_SECONDS)


def test_one_encoder_process_per_input_format(monkeypatch):
    started = []
    real = subprocess.Popen
    monkeypatch.setattr(subprocess, "Popen", lambda args, **kw: started.append(args) or real(args, **kw))
    segments = [_finished(0.2 + 0.1 * i, rate=(24000, 22050)[i % 2]) for i in range(8)]
    with Encoder() as encoder:
        futures = [encoder.submit(s) for s in segments]
        encoder.finish()
        results = [f.result(timeout=HANG_GUARD_S) for f in futures]
    assert len(started) == 2 == encoder.processes
    assert [len(r) > 0 for r in results] == [True] * 8


def test_a_segment_is_delivered_before_the_stream_ends():
    with Encoder() as encoder:
        first = encoder.submit(_finished(0.5))
        encoder.submit(_finished(1.0))
        assert len(first.result(timeout=HANG_GUARD_S)) > 0  # no finish() yet
        encoder.finish()


def test_a_pool_of_two_streams_gives_the_same_bytes():
    segments = [_finished(0.4 + 0.2 * i, freq=300 + 40 * i) for i in range(6)]
    assert encode_segments(segments, streams=2) == encode_segments(segments)


def test_empty_audio_is_refused():
    with Encoder() as encoder, pytest.raises(AudioError, match="no audio"):
        encoder.submit(Finished(b"", 24000))


def test_a_failing_ffmpeg_fails_every_segment_with_its_message(tmp_path, monkeypatch):
    fake = tmp_path / "ffmpeg"
    fake.write_text("#!/bin/sh\ncat >/dev/null\necho 'Unknown encoder libmp3lame' >&2\nexit 1\n")
    fake.chmod(fake.stat().st_mode | stat.S_IXUSR)
    monkeypatch.setenv("LISTEN_FFMPEG", str(fake))
    with Encoder() as encoder:
        futures = [encoder.submit(_finished(0.3)) for _ in range(3)]
        encoder.finish()
        for future in futures:
            with pytest.raises(AudioError, match="ffmpeg failed: Unknown encoder libmp3lame"):
                future.result(timeout=HANG_GUARD_S)


def test_an_ffmpeg_that_cannot_start_is_one_audio_error(tmp_path, monkeypatch):
    not_a_program = tmp_path / "ffmpeg"
    not_a_program.write_text("not a program")
    monkeypatch.setenv("LISTEN_FFMPEG", str(not_a_program))
    with pytest.raises(AudioError, match="cannot run ffmpeg"):
        encode_segments([_finished(0.3)])


def test_a_caller_far_ahead_of_the_encoder_waits_and_nothing_is_lost(monkeypatch):
    import listen.audio.encode as encode

    segments = [_finished(0.5 + 0.1 * i, freq=250 + 30 * i) for i in range(6)]
    expected = encode_segments(segments)
    monkeypatch.setattr(encode, "MAX_QUEUED_BYTES", 1000)  # every submit waits for the one before
    assert encode_segments(segments) == expected
