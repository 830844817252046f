"""Atomic writes and file names built from business names."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cbectool.errors import CbecError
from cbectool.files import atomic_output, safe_stem, write_text_atomic


def test_atomic_write_replaces_whole_and_keeps_usual_permissions(tmp_path: Path) -> None:
    target = tmp_path / "deep" / "result.json"
    write_text_atomic(target, "first")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~umask
    target.chmod(0o600)
    write_text_atomic(target, "second")
    assert target.read_text() == "second"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600  # a replaced file keeps its permissions


def test_a_private_file_is_readable_by_its_owner_only_whatever_it_replaces(tmp_path: Path) -> None:
    folder = tmp_path / "cbectool" / "drafts"
    target = folder / "Ali-Sports-Works.json"
    umask = os.umask(0)  # the loosest umask: only the code keeps the file private
    try:
        write_text_atomic(target, "0300-1234567", private=True)
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert stat.S_IMODE(folder.stat().st_mode) == 0o700
        target.chmod(0o644)  # a draft saved by an older version
        write_text_atomic(target, "0300-7654321", private=True)
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        assert target.read_text() == "0300-7654321"
        shared = tmp_path / "cbectool" / "batch" / "scores.csv"  # trainers' outputs keep the usual permissions
        write_text_atomic(shared, "x")
        assert stat.S_IMODE(shared.stat().st_mode) == 0o666
    finally:
        os.umask(umask)


def test_an_interrupted_write_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out" / "result.json"
    write_text_atomic(target, "saved answers")
    with pytest.raises(KeyboardInterrupt), atomic_output(target) as stream:
        stream.write(b"half of the new")
        raise KeyboardInterrupt
    assert target.read_text() == "saved answers"
    assert [path.name for path in target.parent.iterdir()] == ["result.json"]


def test_unwritable_folder_is_a_user_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(CbecError, match=r"cannot write here"):
        write_text_atomic(blocker / "out.json", "x")


@pytest.mark.parametrize(
    ("name", "stem"),
    [
        ("Ali Sports Works", "Ali-Sports-Works"),
        ("../../etc/passwd", "etc-passwd"),
        ("Ali & Sons / Sialkot", "Ali-&-Sons-Sialkot"),
        ("CON", "business-CON"),
        ("nul.txt", "business-nul.txt"),
        ("   ", "business"),
        ("نور نمک", "نور-نمک"),
        ("evil\u202egpj.exe", "evilgpj.exe"),
        ('a<b>c:d"e|f?g*h', "a-b-c-d-e-f-g-h"),
    ],
)
def test_safe_stem(name: str, stem: str) -> None:
    assert safe_stem(name) == stem


@given(st.text(max_size=300))
def test_safe_stem_never_escapes_or_breaks_windows(name: str) -> None:
    stem = safe_stem(name)
    assert stem
    assert len(stem) <= 80
    assert "/" not in stem and "\\\\" not in stem and ".." not in stem
    assert not set(stem) & set('<>:"|?*')
    assert not stem.startswith((".", "-"))
    assert all(ord(char) >= 32 for char in stem)
