"""Drill: back up, wipe, restore, compare. The demo data (every app's, through seed_demo) and
uploaded files written through the apps' own services (a casework attachment, a profile
picture, a picture in a community post, a file in MEDIA_ROOT) are backed up with
`manage.py backup` (encrypted); the database AND the files are wiped, and `manage.py restore`
puts them back: every table matches row for row, every file byte for byte. Old backups (a bare
database dump, from before backups held files) still restore. Runs on SQLite and (in
`make test`'s second pass) PostgreSQL. The checks on crafted archives are in
core/tests/test_backups.py."""

from __future__ import annotations

import io
import shutil
import tarfile
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection
from PIL import Image

from homeward.accounts import avatars, profiles
from homeward.accounts.models import User, Visibility
from homeward.casework.models import Case
from homeward.casework.services import cases as case_services
from homeward.community import pictures, policies
from homeward.community import services as community_services
from homeward.community.models import Topic
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


def every_file() -> dict[str, bytes]:
    """Every uploaded file (private and MEDIA_ROOT) by its path, with its bytes."""
    return {
        f"{key}/{name}": path.read_bytes()
        for key, root in backups.file_roots().items()
        for name, path in backups._files_under(root)
    }


def photo(colour: tuple[int, int, int]) -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (320, 240), colour).save(out, "JPEG")
    return SimpleUploadedFile("photo.jpg", out.getvalue(), content_type="image/jpeg")


def add_uploads() -> None:
    """Files as people add them, through the apps' services: each lives only on this disk."""
    case = Case.objects.select_related("worker").exclude(worker=None).first()
    assert case is not None and case.worker is not None
    letter = SimpleUploadedFile(
        "letter from the prison.pdf", b"%PDF-1.4\n" + bytes(range(256)) * 40
    )
    case_services.add_attachment(case.worker, case, letter, "application/pdf")

    trusted = User.objects.get(username="trusted")
    profiles.update_profile(
        trusted,
        about="",
        relationship="",
        prisons=[],
        avatar_visibility=Visibility.MEMBERS,
        about_visibility=Visibility.MEMBERS,
        relationship_visibility=Visibility.MEMBERS,
        prisons_visibility=Visibility.MEMBERS,
        new_avatar=avatars.process(photo((200, 30, 30))),
    )
    topic = next(
        t
        for t in Topic.objects.live().filter(closed_at=None).select_related("category")
        if policies.can_post_in(trusted, t.category)
    )
    picture = pictures.process(photo((30, 160, 60)), "Our garden on visiting day")
    community_services.post_reply(trusted, topic, "From this morning", pictures=[picture])
    default_storage.save("leaflets/visiting times.pdf", ContentFile(b"%PDF-1.4 leaflet"))


@pytest.fixture
def seeded(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "site" / "media"
    call_command("seed_demo", stdout=io.StringIO())
    add_uploads()
    return every_row()


def wipe_files() -> None:
    for root in backups.file_roots().values():
        shutil.rmtree(root, ignore_errors=True)


def test_backup_wipe_restore_gives_back_every_row_and_every_file(seeded, tmp_path, monkeypatch):
    total = sum(len(r) for r in seeded.values())
    assert total > 1000, "the seeded database is too small to prove much"
    files = every_file()
    kinds = {name.split("/")[:2][-1] for name in files if name.startswith("private/")}
    assert {"casework", "avatars", "community"} <= kinds
    assert any(name.startswith("media/leaflets/") for name in files)

    monkeypatch.setenv("BACKUP_PASSPHRASE", PASSPHRASE)
    target = tmp_path / "nightly.enc"
    out = io.StringIO()
    call_command("backup", output=str(target), stdout=out)
    assert "encrypted" in out.getvalue()
    assert f"the database and {len(files)} uploaded files" in out.getvalue()
    assert backups.is_encrypted(target)
    # Nothing readable in the file: no table name, no member's name, no file's name or bytes.
    content = target.read_bytes()
    assert b"accounts_user" not in content and b"Sussex" not in content
    assert b"manifest" not in content and b"%PDF" not in content and b"casework/" not in content

    call_command("flush", interactive=False, verbosity=0)
    wipe_files()
    wiped = every_row()
    assert wiped["accounts_user"] == []
    assert sum(len(r) for r in wiped.values()) < total / 2
    assert every_file() == {}

    out = io.StringIO()
    call_command("restore", str(target), interactive=False, stdout=out)
    assert f"and {len(files)} uploaded files" in out.getvalue()
    connection.close()  # a fresh connection sees only what is on disk (PostgreSQL)
    restored = every_row()
    for table, rows in seeded.items():
        assert restored.get(table) == rows, f"{table} differs after the restore"
    assert restored.keys() == seeded.keys()
    back = every_file()
    assert back.keys() == files.keys()
    for name, data in files.items():
        assert back[name] == data, f"{name} differs after the restore"
    # Nothing left beside the folders: no staging folder, no old folder kept aside.
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == ["media", "private"]
    TALLY["backup drill: rows restored"] += total
    TALLY["backup drill: tables compared"] += len(seeded)
    TALLY["backup drill: files restored byte for byte"] += len(files)


def test_a_wrong_passphrase_or_an_altered_backup_is_refused_and_changes_nothing(
    seeded, tmp_path, monkeypatch
):
    monkeypatch.setenv("BACKUP_PASSPHRASE", PASSPHRASE)
    target = tmp_path / "nightly.enc"
    call_command("backup", output=str(target), stdout=io.StringIO())
    files = every_file()

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
    assert every_file() == files


def test_a_database_that_cannot_be_replaced_leaves_the_old_files(seeded, tmp_path, monkeypatch):
    """The files are swapped in just before the database is replaced; if that fails, the old
    folders are swapped back."""
    target = tmp_path / "plain.tar"
    backups.backup(target)
    default_storage.save("leaflets/added after the backup.txt", ContentFile(b"new"))
    files = every_file()

    def fails(source: Path) -> None:
        assert backups.file_roots()["private"].exists()  # the backup's files are in place
        raise backups.BackupError("pg_restore failed: disk full")

    monkeypatch.setattr(backups, "load_database", fails)
    with pytest.raises(CommandError, match="disk full"):
        call_command("restore", str(target), interactive=False)
    assert every_file() == files
    assert sorted(p.name for p in (tmp_path / "site").iterdir()) == ["media", "private"]
    assert every_row() == seeded


def test_a_backup_from_before_files_were_kept_restores_the_database_and_says_so(
    seeded, tmp_path, monkeypatch
):
    """Backups made before this change were a bare database dump, plain or encrypted."""
    dump = tmp_path / "old.db"
    backups.dump_database(dump)
    backups.encrypt_file(dump, tmp_path / "old.enc", PASSPHRASE)
    files = every_file()
    monkeypatch.setenv("BACKUP_PASSPHRASE", PASSPHRASE)
    for old in (dump, tmp_path / "old.enc"):
        call_command("flush", interactive=False, verbosity=0)
        out = io.StringIO()
        call_command("restore", str(old), interactive=False, stdout=out)
        assert "holds no uploaded files" in out.getvalue()
        connection.close()
        assert every_row() == seeded
        assert every_file() == files  # left as they were


def test_a_backup_without_files_leaves_the_files_alone(seeded, tmp_path, monkeypatch):
    monkeypatch.delenv("BACKUP_PASSPHRASE", raising=False)
    target = tmp_path / "database-only.tar"
    out = io.StringIO()
    call_command("backup", "--no-files", "--plain", output=str(target), stdout=out)
    assert "the database only" in out.getvalue()
    with tarfile.open(target) as archive:
        assert not [n for n in archive.getnames() if n.startswith("files/")]
    default_storage.save("leaflets/kept.txt", ContentFile(b"kept"))
    files = every_file()
    call_command("flush", interactive=False, verbosity=0)
    out = io.StringIO()
    call_command("restore", str(target), interactive=False, stdout=out)
    assert "holds no uploaded files" in out.getvalue()
    connection.close()
    assert every_row() == seeded
    assert every_file() == files


def test_backup_refuses_to_write_plain_text_unless_asked(people, tmp_path, monkeypatch):
    monkeypatch.delenv("BACKUP_PASSPHRASE", raising=False)
    with pytest.raises(CommandError, match="BACKUP_PASSPHRASE"):
        call_command("backup", output=str(tmp_path / "b"))
    call_command("backup", output=str(tmp_path / "b"), plain=True, stdout=io.StringIO())
    with tarfile.open(tmp_path / "b") as archive:
        assert backups.MANIFEST in archive.getnames()
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
