"""Backups of the whole database, and putting one back (`manage.py backup`, `manage.py restore`).

SQLite is copied with `VACUUM INTO` (a consistent, compact copy taken while the site runs) and put
back with SQLite's online backup API; PostgreSQL with `pg_dump --format=custom` and
`pg_restore --clean --single-transaction`. With a passphrase (BACKUP_PASSPHRASE), the file is
encrypted: a key is derived with scrypt from the passphrase and a random salt, and the file is
cut into chunks, each a Fernet token (AES-128-CBC + HMAC-SHA256) that carries its position and
whether it is the last, so a reordered, truncated or altered file is refused, not restored."""

from __future__ import annotations

import base64
import os
import shutil
import struct

# B404: runs pg_dump/pg_restore with argument lists, no shell.
import subprocess  # nosec B404
import tempfile
from collections.abc import Iterator
from glob import glob
from pathlib import Path
from typing import BinaryIO

from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.db import connection

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


# B107: an empty passphrase means the backup is not encrypted.
def backup(target: Path, passphrase: str = "") -> Path:  # nosec B107
    """Write a backup to `target` (encrypted when a passphrase is given); returns the path. The
    plain copy lives only in a private temporary folder beside the target and is removed."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent, prefix=".backup-") as work:
        os.chmod(work, 0o700)
        plain = Path(work) / "plain"
        dump_database(plain)
        if passphrase:
            encrypt_file(plain, Path(work) / "sealed", passphrase)
            plain = Path(work) / "sealed"
        os.chmod(plain, 0o600)
        os.replace(plain, target)
    return target


# B107: an empty passphrase means none was given.
def restore(source: Path, passphrase: str = "") -> None:  # nosec B107
    if not source.is_file():
        raise BackupError(f"{source} does not exist")
    with tempfile.TemporaryDirectory(prefix="homeward-restore-") as work:
        plain = source
        if is_encrypted(source):
            if not passphrase:
                raise BackupError("the backup is encrypted: set BACKUP_PASSPHRASE")
            plain = Path(work) / "plain"
            decrypt_file(source, plain, passphrase)
        load_database(plain)
