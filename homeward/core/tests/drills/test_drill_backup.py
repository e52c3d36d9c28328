"""Drill: back up, wipe, restore, compare. The demo data (every app's, through seed_demo) is
backed up with `manage.py backup` (encrypted), the database is wiped, and
`manage.py restore` puts it back: every table matches row for row. Runs on SQLite and (in
`make test`'s second pass) PostgreSQL."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from homeward.core import backups
from homeward.core.tests.drills.support import TALLY, tables

pytestmark = pytest.mark.django_db(transaction=True)

PASSPHRASE = "correct horse battery staple 42"


def every_row() -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, sorted, as the database returns it."""
    rows = {}
    with connection.cursor() as cursor:
        for table in tables():
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")
            rows[table] = sorted(cursor.fetchall(), key=repr)
    return rows


@pytest.fixture
def seeded(db):
    call_command("seed_demo", stdout=io.StringIO())
    return every_row()


def test_backup_wipe_restore_gives_back_every_row(seeded, tmp_path, monkeypatch):
    total = sum(len(r) for r in seeded.values())
    assert total > 1000, "the seeded database is too small to prove much"
    monkeypatch.setenv("BACKUP_PASSPHRASE", PASSPHRASE)
    target = tmp_path / "nightly.enc"
    out = io.StringIO()
    call_command("backup", output=str(target), stdout=out)
    assert "encrypted" in out.getvalue()
    assert backups.is_encrypted(target)
    # Nothing readable in the file: no table name, no member's name.
    content = target.read_bytes()
    assert b"accounts_user" not in content and b"Sussex" not in content

    call_command("flush", interactive=False, verbosity=0)
    assert every_row() != seeded
    wiped = every_row()
    assert wiped["accounts_user"] == []
    assert sum(len(r) for r in wiped.values()) < total / 2

    call_command("restore", str(target), interactive=False, stdout=io.StringIO())
    connection.close()  # a fresh connection sees only what is on disk (PostgreSQL)
    restored = every_row()
    for table, rows in seeded.items():
        assert restored.get(table) == rows, f"{table} differs after the restore"
    assert restored.keys() == seeded.keys()
    TALLY["backup drill: rows restored"] += total
    TALLY["backup drill: tables compared"] += len(seeded)


def test_a_wrong_passphrase_or_an_altered_backup_is_refused_and_changes_nothing(
    seeded, tmp_path, monkeypatch
):
    monkeypatch.setenv("BACKUP_PASSPHRASE", PASSPHRASE)
    target = tmp_path / "nightly.enc"
    call_command("backup", output=str(target), stdout=io.StringIO())

    monkeypatch.setenv("BACKUP_PASSPHRASE", "not the right passphrase")
    with pytest.raises(CommandError, match="wrong passphrase"):
        call_command("restore", str(target), interactive=False)

    monkeypatch.setenv("BACKUP_PASSPHRASE", PASSPHRASE)
    altered = bytearray(target.read_bytes())
    altered[len(altered) // 2] ^= 0x01
    (tmp_path / "altered.enc").write_bytes(bytes(altered))
    with pytest.raises(CommandError, match="altered"):
        call_command("restore", str(tmp_path / "altered.enc"), interactive=False)

    cut = target.read_bytes()
    (tmp_path / "cut.enc").write_bytes(cut[: len(backups.MAGIC) + backups.SALT_BYTES])
    with pytest.raises(CommandError, match="cut short"):
        call_command("restore", str(tmp_path / "cut.enc"), interactive=False)
    assert every_row() == seeded


def test_backup_refuses_to_write_plain_text_unless_asked(people, tmp_path, monkeypatch):
    monkeypatch.delenv("BACKUP_PASSPHRASE", raising=False)
    with pytest.raises(CommandError, match="BACKUP_PASSPHRASE"):
        call_command("backup", output=str(tmp_path / "b"))
    call_command("backup", output=str(tmp_path / "b"), plain=True, stdout=io.StringIO())
    head = (tmp_path / "b").read_bytes()[:16]
    assert head == backups.SQLITE_MAGIC or head.startswith(backups.PG_MAGIC)
    Path(tmp_path / "c").write_bytes(backups.MAGIC + b"x" * 40)
    monkeypatch.delenv("BACKUP_PASSPHRASE", raising=False)
    with pytest.raises(CommandError, match="encrypted"):
        call_command("restore", str(tmp_path / "c"), interactive=False)


def test_chunked_encryption_round_trips_and_refuses_reordered_parts(tmp_path, monkeypatch):
    monkeypatch.setattr(backups, "CHUNK", 10)
    plain = tmp_path / "plain"
    plain.write_bytes(bytes(range(256)) * 3)
    backups.encrypt_file(plain, tmp_path / "sealed", PASSPHRASE)
    backups.decrypt_file(tmp_path / "sealed", tmp_path / "back", PASSPHRASE)
    assert (tmp_path / "back").read_bytes() == plain.read_bytes()

    # Swap the first two parts: each is valid on its own, but out of place.
    data = (tmp_path / "sealed").read_bytes()
    start = len(backups.MAGIC) + backups.SALT_BYTES
    first_len = int.from_bytes(data[start : start + 4], "big")
    first = data[start : start + 4 + first_len]
    second_len = int.from_bytes(data[start + 4 + first_len : start + 8 + first_len], "big")
    second = data[start + 4 + first_len : start + 8 + first_len + second_len]
    swapped = data[:start] + second + first + data[start + len(first) + len(second) :]
    (tmp_path / "swapped").write_bytes(swapped)
    with pytest.raises(backups.BackupError, match="out of order"):
        backups.decrypt_file(tmp_path / "swapped", tmp_path / "x", PASSPHRASE)
