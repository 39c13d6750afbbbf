"""Progress of long commands (make_corpus, rebuild_search_index, import_wire, backup, restore).

One line on stderr, redrawn in place with a carriage return, when stderr is a terminal:

    search vectors  40,000 / 100,000  40%  3,210/s  ETA 0:19

When stderr is not a terminal (a pipe, a file, cron, a test) nothing at all is written, so logs
and the commands' stdout (import_wire's one line per file) stay exactly as they are. Work done
within `delay` seconds shows nothing either; once shown, the line is redrawn at most every
`every` seconds and left on the terminal, complete, by `close()`.
"""

import sys
import time


class Progress:
    """`advance(n)` as work is done; `close()` (or leaving the `with` block) ends the line.

    `stream`: sys.stderr by default, or a command's `self.stderr` (Django's OutputWrapper, which
    would end every write with a newline, is unwrapped)."""

    DELAY = 1.0  # seconds before the line first appears
    EVERY = 0.2  # seconds between redraws

    def __init__(
        self, label: str, total: int | None = None, *, stream=None, every=None, delay=None
    ):
        self.label, self.total = label, total
        self.every = self.EVERY if every is None else every
        self.delay = self.DELAY if delay is None else delay
        stream = sys.stderr if stream is None else stream
        self.stream = getattr(stream, "_out", stream)  # django.core.management.base.OutputWrapper
        isatty = getattr(self.stream, "isatty", None)
        self.enabled = bool(isatty and isatty())
        self.done = 0
        self.started = time.monotonic()
        self._drawn_at = 0.0
        self._width = 0
        self._shown = False

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def advance(self, count: int = 1) -> None:
        self.done += count
        if self.enabled:
            now = time.monotonic()
            if now - self._drawn_at >= self.every and now - self.started >= self.delay:
                self._draw()

    def line(self) -> str:
        elapsed = max(time.monotonic() - self.started, 1e-9)
        rate = self.done / elapsed
        parts = [self.label, f"{self.done:,}" + (f" / {self.total:,}" if self.total else "")]
        if self.total:
            parts.append(f"{min(100, 100 * self.done // self.total)}%")
        parts.append(f"{rate:,.1f}/s" if rate < 10 else f"{rate:,.0f}/s")
        if self.total and rate > 0 and self.done < self.total:
            parts.append(f"ETA {_clock((self.total - self.done) / rate)}")
        else:
            parts.append(_clock(elapsed))
        return "  ".join(parts)

    def clear(self) -> None:
        """Erase the line (before writing something else to the same terminal)."""
        if self.enabled and self._width:
            self.stream.write("\r" + " " * self._width + "\r")
            self.stream.flush()
            self._width = 0
            self._drawn_at = 0.0

    def close(self) -> None:
        if self.enabled and self._shown:
            self._draw()
            self.stream.write("\n")
            self.stream.flush()
        self.enabled = False

    def _draw(self) -> None:
        text = self.line()
        self.stream.write("\r" + text.ljust(self._width))
        self.stream.flush()
        self._width = len(text)
        self._drawn_at = time.monotonic()
        self._shown = True


def _clock(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"
