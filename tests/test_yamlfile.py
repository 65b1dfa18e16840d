"""Atomic writes: whole files only, and the file mode a user expects."""

import os

import pytest

from explorer.yamlfile import atomic_write_text


def test_new_file_gets_the_umask_mode_and_old_mode_is_kept(tmp_path):
    old = os.umask(0o022)
    try:
        target = tmp_path / "a.yaml"
        atomic_write_text(target, "x: 1\n")
        assert target.stat().st_mode & 0o777 == 0o644
        target.chmod(0o640)
        atomic_write_text(target, "x: 2\n")
        assert target.stat().st_mode & 0o777 == 0o640
        assert target.read_text() == "x: 2\n"
    finally:
        os.umask(old)


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "a.yaml"
    target.write_text("old\n")

    class Boom:
        def __str__(self):
            raise RuntimeError("boom")

    with pytest.raises(TypeError):
        atomic_write_text(target, Boom())
    assert target.read_text() == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.yaml"]
