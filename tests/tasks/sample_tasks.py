"""Tasks for the tests, importable by path (workers find a task by its module path). Their
state is files in a folder the test names, so a worker process can share it."""

import os
import time
from datetime import timedelta
from pathlib import Path

from articles.tasks.retry import RetryPolicy, retrying_task


class Flaky(Exception):
    pass


@retrying_task(RetryPolicy(base=timedelta(seconds=2), cap=timedelta(seconds=5), retry_on=(Flaky,)))
def fail_until(folder: str, successes_after: int) -> int:
    """Fails its first `successes_after` runs, then succeeds; how many runs it took."""
    runs = Path(folder) / "runs"
    with runs.open("a") as log:
        log.write("run\n")
    count = len(runs.read_text().splitlines())
    if count <= successes_after:
        raise Flaky(f"run {count}")
    return count


@retrying_task()
def wrong_input(folder: str) -> None:
    raise ValueError("not retried: only Flaky is, in fail_until; this one retries anything")


@retrying_task()
def publish_once(folder: str) -> str:
    """An idempotent effect: marks `started` on each run, waits while `hold` exists (so a
    test can kill the worker mid-run), then does its effect unless it was done already."""
    folder = Path(folder)
    with (folder / "started").open("a") as log:
        log.write(f"{os.getpid()}\n")
    deadline = time.monotonic() + 20
    while (folder / "hold").exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    try:
        descriptor = os.open(folder / "effect", os.O_CREAT | os.O_EXCL | os.O_WRONLY)
    except FileExistsError:
        return "already done"
    os.write(descriptor, b"done\n")
    os.close(descriptor)
    return "done"
