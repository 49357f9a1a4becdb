"""ArticleFolder.building: a failed first build removes the folders it made; a build that waited
for it starts again on a folder and a lock file of its own."""

from __future__ import annotations

import threading

import pytest

from listen.output.commit import BUILD_LOCK, ArticleFolder


class Boom(Exception):
    pass


def test_a_failed_first_build_removes_the_folders_it_made_and_keeps_the_others(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "other").mkdir()
    with pytest.raises(Boom):
        with ArticleFolder(tmp_path / "out" / "a" / "b").building():
            assert (tmp_path / "out" / "a" / "b" / BUILD_LOCK).is_file()
            raise Boom
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["other"]


def test_a_failed_rebuild_keeps_its_folder(tmp_path):
    folder = tmp_path / "a"
    folder.mkdir()
    with pytest.raises(KeyboardInterrupt):
        with ArticleFolder(folder).building():
            raise KeyboardInterrupt
    assert folder.is_dir()


def test_a_folder_that_holds_more_than_the_lock_is_kept(tmp_path):
    folder = tmp_path / "a"
    with pytest.raises(Boom):
        with ArticleFolder(folder).building():
            (folder / "manifest.json").write_text("{}", "utf-8")  # e.g. a build that did commit
            raise Boom
    assert sorted(p.name for p in folder.iterdir()) == [BUILD_LOCK, "manifest.json"]


def test_a_build_waiting_for_a_failed_first_build_starts_again_on_its_own_folder(tmp_path):
    folder = tmp_path / "a"
    first_in = threading.Event()
    second_in = threading.Event()
    seen: list[bool] = []

    def second():
        with ArticleFolder(folder).building():
            # The lock is held on the file the path names, not on the one the failed build removed.
            seen.append((folder / BUILD_LOCK).is_file())
            second_in.set()

    with pytest.raises(Boom):
        with ArticleFolder(folder).building():
            first_in.set()
            waiter = threading.Thread(target=second)
            waiter.start()
            assert not second_in.wait(0.3)  # it waits for this build's lock
            raise Boom
    waiter.join(timeout=10)
    assert seen == [True] and folder.is_dir()
