"""Backups of the whole database and every uploaded file, and putting one back
(`manage.py backup`, `manage.py restore`).

A backup is a tar archive: the database (SQLite copied with `VACUUM INTO`, a consistent, compact
copy taken while the site runs; PostgreSQL with `pg_dump --format=custom`), the uploaded files
(`files/private/...`: casework attachments, profile pictures, pictures in posts, see
core.storage; `files/media/...`: MEDIA_ROOT), and `manifest.json` (format, engine, file count,
the sha256 of every member). With a passphrase (BACKUP_PASSPHRASE), the archive is encrypted: a
key is derived with scrypt from the passphrase and a random salt, and the archive is cut into
chunks, each a Fernet token (AES-128-CBC + HMAC-SHA256) that carries its position and whether it
is the last, so a reordered, truncated or altered file is refused, not restored.

A restore checks everything first (decryption, the manifest, every sha256, that every member is
a plain file whose name stays inside its folder) while writing the files into fresh folders
beside the old ones; then swaps the folders and replaces the database (SQLite's online backup
API; `pg_restore --clean --single-transaction`). If the database cannot be replaced, the old
folders are swapped back. A backup made before backups held files (a bare database dump) still
restores: the database only."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import stat
import struct

# B404: runs pg_dump/pg_restore with argument lists, no shell.
import subprocess  # nosec B404
import tarfile
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from glob import glob
from pathlib import Path
from typing import IO, Any, BinaryIO

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.conf import settings
from django.db import connection
from django.utils import timezone

MAGIC = b"HOMEWARD-BACKUP-1\n"
SQLITE_MAGIC = b"SQLite format 3\x00"
PG_MAGIC = b"PGDMP"
CHUNK = 4 * 1024 * 1024
SALT_BYTES = 16
SCRYPT_N = 2**15


class BackupError(Exception):
    """Something a person running the command can act on."""


# Encryption ------------------------------------------------------------------------------------


def _fernet(passphrase: str, salt: bytes) -> Fernet:
    if len(passphrase) < 12:
        raise BackupError("BACKUP_PASSPHRASE must be at least 12 characters")
    key = Scrypt(salt=salt, length=32, n=SCRYPT_N, r=8, p=1).derive(passphrase.encode())
    return Fernet(base64.urlsafe_b64encode(key))


def _chunks(source: BinaryIO) -> Iterator[tuple[bytes, bool]]:
    current = source.read(CHUNK)
    while True:
        following = source.read(CHUNK)
        yield current, not following
        if not following:
            return
        current = following


def encrypt_file(source: Path, target: Path, passphrase: str) -> None:
    salt = os.urandom(SALT_BYTES)
    fernet = _fernet(passphrase, salt)
    with source.open("rb") as plain, target.open("wb") as out:
        out.write(MAGIC + salt)
        for index, (data, last) in enumerate(_chunks(plain)):
            token = fernet.encrypt(struct.pack(">Q?", index, last) + data)
            out.write(struct.pack(">I", len(token)) + token)


def is_encrypted(path: Path) -> bool:
    with path.open("rb") as file:
        return file.read(len(MAGIC)) == MAGIC


def decrypt_file(source: Path, target: Path, passphrase: str) -> None:
    with source.open("rb") as sealed, target.open("wb") as out:
        if sealed.read(len(MAGIC)) != MAGIC:
            raise BackupError(f"{source} is not an encrypted Homeward backup")
        fernet = _fernet(passphrase, sealed.read(SALT_BYTES))
        index, last = 0, False
        while header := sealed.read(4):
            if last:
                raise BackupError("the backup has data after its last part: refused")
            (length,) = struct.unpack(">I", header)
            try:
                chunk = fernet.decrypt(sealed.read(length))
            except InvalidToken:
                raise BackupError(
                    "the backup cannot be decrypted: wrong passphrase, or the file was altered"
                ) from None
            position, last = struct.unpack(">Q?", chunk[:9])
            if position != index:
                raise BackupError("the backup's parts are out of order: refused")
            out.write(chunk[9:])
            index += 1
        if not last:
            raise BackupError("the backup is cut short: refused")


# The database ----------------------------------------------------------------------------------


def postgres_tool(name: str) -> str:
    """pg_dump / pg_restore: from PG_BIN, else the newest Debian PostgreSQL, else the PATH."""
    candidates = (
        [os.path.join(os.environ.get("PG_BIN", ""), name)] if os.environ.get("PG_BIN") else []
    )
    candidates += sorted(glob(f"/usr/lib/postgresql/*/bin/{name}"), key=_version, reverse=True)
    candidates += [shutil.which(name) or ""]
    for candidate in candidates:
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    raise BackupError(f"{name} was not found (Debian package postgresql-client, or set PG_BIN)")


def _version(path: str) -> int:
    part = path.split("/")[4] if path.count("/") > 4 else "0"
    return int(part) if part.isdigit() else 0


def _pg_args_and_env() -> tuple[list[str], dict[str, str]]:
    s = connection.settings_dict
    args = []
    if s.get("HOST"):
        args += ["--host", str(s["HOST"])]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", str(s["USER"])]
    env = {**os.environ}
    if s.get("PASSWORD"):
        env["PGPASSWORD"] = str(s["PASSWORD"])  # never on the command line, where ps shows it
    return args, env


def dump_database(target: Path) -> None:
    """A consistent copy of the whole database in `target` (plain, not encrypted)."""
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        with connection.cursor() as cursor:
            cursor.execute("VACUUM INTO %s", [str(target)])
    elif connection.vendor == "postgresql":
        args, env = _pg_args_and_env()
        command = [postgres_tool("pg_dump"), "--format=custom", "--no-owner", "--no-privileges",
                   *args, "--file", str(target), str(connection.settings_dict["NAME"])]  # fmt: skip
        _run(command, env)
    else:
        raise BackupError(f"backups of {connection.vendor} are not supported")


def load_database(source: Path) -> None:
    """Replace the whole database with the copy in `source` (plain)."""
    with source.open("rb") as file:
        head = file.read(16)
    if connection.vendor == "sqlite":
        if head != SQLITE_MAGIC:
            raise BackupError("this is not a SQLite backup, and the database is SQLite")
        import sqlite3

        with sqlite3.connect(source) as copy:
            if copy.execute("PRAGMA integrity_check").fetchone() != ("ok",):
                raise BackupError("the backup fails SQLite's integrity check: refused")
            connection.ensure_connection()
            copy.backup(connection.connection)  # one step, under SQLite's lock
        copy.close()
    elif connection.vendor == "postgresql":
        if not head.startswith(PG_MAGIC):
            raise BackupError("this is not a PostgreSQL backup, and the database is PostgreSQL")
        connection.close()
        args, env = _pg_args_and_env()
        command = [postgres_tool("pg_restore"), "--clean", "--if-exists", "--no-owner",
                   "--no-privileges", "--single-transaction", "--exit-on-error", *args,
                   "--dbname", str(connection.settings_dict["NAME"]), str(source)]  # fmt: skip
        _run(command, env)
    else:
        raise BackupError(f"restoring {connection.vendor} is not supported")


def _run(command: list[str], env: dict[str, str]) -> None:
    # B603: a fixed tool with our own arguments.
    done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603  # nosec B603
    if done.returncode != 0:
        raise BackupError(f"{Path(command[0]).name} failed: {done.stderr.strip()[-2000:]}")


# The archive: the database and the uploaded files ------------------------------------------------

FORMAT = 2
MANIFEST = "manifest.json"
DATABASE_NAMES = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
FILE_ROOTS = ("private", "media")


@dataclass
class Summary:
    """What a backup holds, or what a restore put back. `files` is None when the backup held no
    files (made with --no-files, or before backups held files): the files were left alone."""

    path: Path
    files: int | None
    file_bytes: int = 0


def file_roots() -> dict[str, Path]:
    """The folders of uploaded files: <MEDIA_ROOT's parent>/private (casework attachments,
    profile pictures, pictures in posts: core.storage) and MEDIA_ROOT."""
    media = Path(settings.MEDIA_ROOT).absolute()
    private = media.parent / "private"
    if media == private or media.is_relative_to(private) or private.is_relative_to(media):
        raise BackupError(f"MEDIA_ROOT ({media}) overlaps the private files ({private})")
    return {"private": private, "media": media}


def _files_under(root: Path) -> Iterator[tuple[str, Path]]:
    """(name relative to root, path) of every regular file; symbolic links are not followed."""
    if not root.is_dir():
        return
    for folder, dirs, files in os.walk(root):
        dirs.sort()
        for name in sorted(files):
            path = Path(folder) / name
            if path.is_file() and not path.is_symlink():
                yield path.relative_to(root).as_posix(), path


class _Hashing:
    """A file read through, its sha256 kept."""

    def __init__(self, file: BinaryIO) -> None:
        self.file, self.sha256 = file, hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.file.read(size)
        self.sha256.update(data)
        return data


def _add(archive: tarfile.TarFile, name: str, path: Path) -> tuple[str, int]:
    """Add one file under `name`; its sha256 and size, of exactly the bytes stored."""
    with path.open("rb") as file:
        info = tarfile.TarInfo(name)
        info.size = os.fstat(file.fileno()).st_size
        info.mode = 0o600
        hashing = _Hashing(file)
        archive.addfile(info, hashing)
    return hashing.sha256.hexdigest(), info.size


def _write_archive(target: Path, database: Path, *, with_files: bool) -> Summary:
    """The database dump, then the files (a file uploaded meanwhile is kept as a spare, never
    missing), then the manifest that lists them all with their sha256."""
    engine = connection.vendor
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "engine": engine,
        "created_at": timezone.now().isoformat(),
        "database": {},
        "file_count": None,
        "files": None,
    }
    with tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as archive:
        name = DATABASE_NAMES[engine]
        digest, _ = _add(archive, name, database)
        manifest["database"] = {"name": name, "sha256": digest}
        total = 0
        if with_files:
            files: dict[str, str] = {}
            for root_name, root in file_roots().items():
                for relative, path in _files_under(root):
                    member = f"files/{root_name}/{relative}"
                    files[member], size = _add(archive, member, path)
                    total += size
            manifest["files"], manifest["file_count"] = files, len(files)
        data = json.dumps(manifest, indent=1, sort_keys=True).encode()
        info = tarfile.TarInfo(MANIFEST)
        info.size, info.mode = len(data), 0o600
        archive.addfile(info, io.BytesIO(data))
    return Summary(target, manifest["file_count"], total)


# B107: an empty passphrase means the backup is not encrypted.
def backup(target: Path, passphrase: str = "", *, with_files: bool = True) -> Summary:  # nosec B107
    """Write a backup to `target` (encrypted when a passphrase is given): an archive of the
    database and (unless with_files=False) every uploaded file. The plain copies live only in a
    private temporary folder beside the target and are removed."""
    for root in file_roots().values() if with_files else ():
        if target.absolute().is_relative_to(root):
            raise BackupError(f"write the backup outside the folders it copies ({root})")
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".backup-") as work:
        os.chmod(work, 0o700)
        database = Path(work) / "database"
        dump_database(database)
        plain = Path(work) / "plain"
        summary = _write_archive(plain, database, with_files=with_files)
        database.unlink()
        if passphrase:
            encrypt_file(plain, Path(work) / "sealed", passphrase)
            plain.unlink()
            plain = Path(work) / "sealed"
        os.chmod(plain, 0o600)
        os.replace(plain, target)
    summary.path = target
    return summary


# Restoring ---------------------------------------------------------------------------------------


def _safe_parts(name: str) -> list[str]:
    """The parts of a member's name, or BackupError for anything that could land outside the
    folder it is meant for (absolute, `..`, `.`, empty parts, backslashes, NUL)."""
    parts = name.split("/")
    if (
        not name
        or name.startswith("/")
        or "\\" in name
        or "\0" in name
        or any(part in ("", ".", "..") for part in parts)
    ):
        raise BackupError(f"the backup holds an unsafe name ({name!r}): refused")
    return parts


def _copy_out(source: IO[bytes], target: Path, file_mode: int | None) -> str:
    """Write a new file (never over an existing one, never through a link); its sha256."""
    digest = hashlib.sha256()
    try:
        descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    except FileExistsError:
        raise BackupError(f"the backup holds {target.name!r} twice: refused") from None
    with os.fdopen(descriptor, "wb") as out:
        while data := source.read(1024 * 1024):
            digest.update(data)
            out.write(data)
    if file_mode is not None:
        os.chmod(target, file_mode)
    return digest.hexdigest()


@dataclass
class _Unpacked:
    manifest: dict[str, Any]
    database: Path
    staged: dict[str, Path]  # root name -> the fresh folder holding that root's files
    file_bytes: int


def _unpack(archive_path: Path, work: Path, staging: dict[str, Path]) -> _Unpacked:
    """Check every member and write it into `work` (the database) or the fresh `staging`
    folders (files); then check the whole against the manifest. Nothing outside those
    folders is written; BackupError on anything wrong."""
    digests: dict[str, str] = {}
    manifest: Any = None
    file_bytes = 0
    try:
        with tarfile.open(archive_path, "r:") as archive:
            for member in archive:
                name = member.name
                parts = _safe_parts(name)
                if not member.isreg() or member.issparse():
                    raise BackupError(f"the backup holds {name!r}, not a plain file: refused")
                if name in digests or (name == MANIFEST and manifest is not None):
                    raise BackupError(f"the backup holds {name!r} twice: refused")
                source = archive.extractfile(member)
                if source is None:  # pragma: no cover - isreg() members always have data
                    raise BackupError(f"{name!r} cannot be read: refused")
                if name == MANIFEST:
                    manifest = _read_manifest(source, member.size)
                    continue
                target = _place(parts, work, staging)
                file_mode = None if parts[0] != "files" else settings.FILE_UPLOAD_PERMISSIONS
                digests[name] = _copy_out(source, target, file_mode)
                file_bytes += member.size if parts[0] == "files" else 0
    except tarfile.TarError:
        raise BackupError(
            "this is not a Homeward backup (neither an archive nor a database dump)"
        ) from None
    except OSError as error:
        raise BackupError(f"the backup's files cannot be laid out ({error}): refused") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError("the backup has no manifest of a known format: refused")
    _check(manifest, digests)
    return _Unpacked(manifest, work / "database", staging, file_bytes)


def _read_manifest(source: IO[bytes], size: int) -> Any:
    if size > 64 * 1024 * 1024:
        raise BackupError("the backup's manifest is too large: refused")
    try:
        return json.loads(source.read())
    except ValueError:
        raise BackupError("the backup's manifest cannot be read: refused") from None


def _place(parts: list[str], work: Path, staging: dict[str, Path]) -> Path:
    """Where a member goes: the database into `work`, a file into its root's fresh folder
    (whose sub-folders are made here); BackupError for anything else."""
    if len(parts) == 1 and parts[0] in DATABASE_NAMES.values():
        return work / "database"
    if len(parts) > 2 and parts[0] == "files" and parts[1] in staging:
        root = staging[parts[1]]
        target = root.joinpath(*parts[2:])
        if not target.resolve().is_relative_to(root.resolve()):
            raise BackupError(f"the backup holds an unsafe name ({'/'.join(parts)!r}): refused")
        dir_mode = settings.FILE_UPLOAD_DIRECTORY_PERMISSIONS
        for folder in reversed(target.relative_to(root).parents[:-1]):
            if not (root / folder).is_dir():
                (root / folder).mkdir()
                if dir_mode is not None:
                    os.chmod(root / folder, dir_mode)
        return target
    raise BackupError(f"the backup holds {'/'.join(parts)!r}, which has no place here: refused")


def _check(manifest: dict[str, Any], digests: dict[str, str]) -> None:
    """Every member is listed in the manifest with its sha256, and nothing listed is missing."""
    engine = manifest.get("engine")
    if engine != connection.vendor:
        raise BackupError(
            f"this is a backup of {engine}, and the database is {connection.vendor}: refused"
        )
    database = manifest.get("database") or {}
    expected = {str(database.get("name")): database.get("sha256")}
    files = manifest.get("files")
    if files is not None:
        if not isinstance(files, dict) or manifest.get("file_count") != len(files):
            raise BackupError("the backup's manifest does not add up: refused")
        expected.update(files)
    if expected.keys() != digests.keys():
        missing = sorted(expected.keys() - digests.keys())
        extra = sorted(digests.keys() - expected.keys())
        raise BackupError(
            f"the backup does not match its manifest (missing {missing[:3]}, unlisted {extra[:3]}): refused"
        )
    for name, digest in digests.items():
        if expected[name] != digest:
            raise BackupError(f"{name} does not match the manifest's sha256: refused")


Moved = list[tuple[Path, Path | None]]  # (root, where its old folder went, if it had one)


def _swap_in(staged: dict[str, Path], roots: dict[str, Path]) -> Moved:
    """Put each fresh folder in its root's place, the old one aside (renames, on one file
    system). If a rename fails, the ones done are undone, so the old files stay."""
    stamp = timezone.now().strftime("%Y%m%dT%H%M%S")
    moved: Moved = []
    try:
        for key, fresh in staged.items():
            root = roots[key]
            aside = None
            if root.exists():
                aside = root.with_name(f".{root.name}.replaced-{stamp}-{os.getpid()}")
                os.replace(root, aside)
            moved.append((root, aside))
            os.replace(fresh, root)
    except OSError as error:
        _swap_back(moved)
        raise BackupError(
            f"the files could not be put in place ({error}): nothing was changed"
        ) from None
    return moved


def _swap_back(moved: Moved) -> None:
    """The old folders back where they were (the database could not be replaced)."""
    for root, aside in reversed(moved):
        if root.exists():
            shutil.rmtree(root)
        if aside is not None:
            os.replace(aside, root)


def _stage(roots: dict[str, Path]) -> dict[str, Path]:
    """A fresh, empty folder beside each root (same file system, so the swap is a rename),
    with the mode of the folder it replaces."""
    staged = {}
    for key, root in roots.items():
        root.parent.mkdir(parents=True, exist_ok=True)
        fresh = Path(tempfile.mkdtemp(dir=root.parent, prefix=f".{root.name}.restoring-"))
        mode = (
            stat.S_IMODE(root.stat().st_mode)
            if root.is_dir()
            else (0o700 if key == "private" else 0o755)
        )
        os.chmod(fresh, mode)
        staged[key] = fresh
    return staged


# B107: an empty passphrase means none was given.
def restore(source: Path, passphrase: str = "") -> Summary:  # nosec B107
    """Replace the database (and the uploaded files, when the backup holds them) with the
    backup's. The whole backup is decrypted and checked, and its files written to fresh folders,
    before anything is replaced; then the folders are swapped in and the database replaced. If
    the database cannot be replaced, the old folders are swapped back: everything as it was."""
    if not source.is_file():
        raise BackupError(f"{source} does not exist")
    with tempfile.TemporaryDirectory(prefix="homeward-restore-") as work:
        os.chmod(work, 0o700)
        plain = source
        if is_encrypted(source):
            if not passphrase:
                raise BackupError("the backup is encrypted: set BACKUP_PASSPHRASE")
            plain = Path(work) / "plain"
            decrypt_file(source, plain, passphrase)
        with plain.open("rb") as file:
            head = file.read(16)
        if head == SQLITE_MAGIC or head.startswith(PG_MAGIC):  # made before backups held files
            load_database(plain)
            return Summary(source, None)
        roots = file_roots()
        staged = _stage(roots)
        try:
            unpacked = _unpack(plain, Path(work), staged)
            if unpacked.manifest["files"] is None:  # made with --no-files
                for fresh in staged.values():
                    shutil.rmtree(fresh)
                staged = {}
            moved = _swap_in(staged, roots)
            try:
                load_database(unpacked.database)
            except BaseException:
                _swap_back(moved)
                raise
        finally:
            for fresh in staged.values():
                shutil.rmtree(fresh, ignore_errors=True)
        for _root, aside in moved:  # the files the restored database no longer knows
            if aside is not None:
                shutil.rmtree(aside, ignore_errors=True)
        files = unpacked.manifest["file_count"]
        return Summary(source, files, unpacked.file_bytes if files is not None else 0)
