"""newsroom.progress: a progress line on stderr when it is a terminal, nothing otherwise; and
the commands that use it keep their stdout as it was (import_wire's one line per file)."""

import io
import os
import select
import sys

import pytest
from django.core.management import call_command

from newsroom.progress import Progress


class TerminalLike(io.StringIO):
    def isatty(self):
        return True


@pytest.fixture
def at_once(monkeypatch):
    """Draw from the first step and on every step (the defaults wait a second)."""
    monkeypatch.setattr(Progress, "DELAY", 0)
    monkeypatch.setattr(Progress, "EVERY", 0)


def test_nothing_is_written_when_the_stream_is_not_a_terminal(at_once):
    stream = io.StringIO()
    with Progress("search vectors", 10, stream=stream) as progress:
        for _ in range(10):
            progress.advance()
    progress.clear()
    assert stream.getvalue() == ""


def test_stderr_under_a_pipe_gets_nothing(at_once, capfd):
    assert not sys.stderr.isatty()  # pytest captures it
    with Progress("rows", 5) as progress:
        progress.advance(5)
    assert capfd.readouterr().err == ""


def test_a_terminal_gets_one_line_redrawn_with_count_share_rate_and_eta(at_once):
    stream = TerminalLike()
    with Progress("search vectors", 10, stream=stream) as progress:
        for _ in range(3):
            progress.advance()
        drawn = stream.getvalue()
    assert drawn.startswith("\r") and "\n" not in drawn
    last = drawn.split("\r")[-1]
    assert "search vectors" in last and "3 / 10" in last and "30%" in last
    assert "/s" in last and "ETA" in last
    final = stream.getvalue().split("\r")[-1]
    assert final.endswith("\n") and "10 / 10" not in final and "3 / 10" in final  # as it stood


def test_a_real_pseudo_terminal_receives_the_line():
    leader, follower = os.openpty()
    try:
        stream = os.fdopen(follower, "w", closefd=False)
        with stream, Progress("backup: media", 4, stream=stream, delay=0, every=0) as progress:
            progress.advance(2)
        chunks = b""
        while select.select([leader], [], [], 0.5)[0]:
            chunks += os.read(leader, 4096)
            if chunks.endswith(b"\n"):
                break
    finally:
        os.close(leader)
        os.close(follower)
    text = chunks.decode()
    assert "\r" in text and "backup: media" in text and "2 / 4" in text


def test_work_shorter_than_the_delay_shows_nothing_even_on_a_terminal():
    stream = TerminalLike()
    with Progress("import_wire", 2, stream=stream, delay=60) as progress:
        progress.advance(2)
    assert stream.getvalue() == ""


def test_clear_erases_the_line_so_other_output_starts_clean(at_once):
    stream = TerminalLike()
    progress = Progress("import_wire", 3, stream=stream)
    progress.advance()
    progress.clear()
    assert stream.getvalue().endswith("\r")
    progress.close()


def test_a_counter_without_total_shows_count_and_elapsed(at_once):
    stream = TerminalLike()
    with Progress("restore: tables", stream=stream) as progress:
        progress.advance(7)
    last = stream.getvalue().split("\r")[-1]
    assert "restore: tables  7  " in last and "%" not in last and "ETA" not in last


# --- import_wire: stdout unchanged, progress on stderr only on a terminal -----------------------

STORY = "{headline}\n\nوكالات- مصدر الإخبارية:\n\n{body}\n"


def _stories(tmp_path, count):
    paths = []
    for n in range(count):
        path = tmp_path / f"story-{n}.txt"
        path.write_text(
            STORY.format(
                headline=f"وزير الطاقة يفتتح محطة جديدة رقم {n} في المدينة",
                body=f"قال الوزير اليوم إن المحطة رقم {n} ستوفر الكهرباء لآلاف المنازل.",
            ),
            encoding="utf-8",
        )
        paths.append(str(path))
    return paths


@pytest.mark.django_db
def test_import_wire_stdout_is_one_line_per_file_whatever_stderr_is(tmp_path, at_once):
    paths = _stories(tmp_path, 3)
    out, err = io.StringIO(), TerminalLike()
    call_command("import_wire", *paths, stdout=out, stderr=err)
    lines = out.getvalue().splitlines()
    assert len(lines) == 3 and out.getvalue().endswith("\n")
    assert "\r" not in out.getvalue()
    for line, path in zip(lines, paths, strict=True):
        verb, article_id, named = line.split(" ", 2)
        assert verb == "created" and article_id.isdigit() and named == path
    assert "import_wire" in err.getvalue() and "3 / 3" in err.getvalue()

    # The same files again, stderr a pipe: the same kind of lines, and nothing on stderr.
    out, err = io.StringIO(), io.StringIO()
    call_command("import_wire", *paths, stdout=out, stderr=err)
    assert [line.split(" ", 1)[0] for line in out.getvalue().splitlines()] == ["exists"] * 3
    assert [line.split(" ", 2)[1:] for line in out.getvalue().splitlines()] == [
        line.split(" ", 2)[1:] for line in lines
    ]
    assert err.getvalue() == ""
