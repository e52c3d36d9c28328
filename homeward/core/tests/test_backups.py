"""Restoring a crafted or damaged backup archive: refused before anything is replaced, and nothing
written outside the fresh folders it is unpacked into (which are removed). The round trip itself
is drilled in drills/test_drill_backup.py."""

from __future__ import annotations

import hashlib
import io
import json
import tarfile
from pathlib import Path
from typing import Any

import pytest
from django.db import connection

from homeward.core import backups

DATABASE = b"not really a database: it is never loaded"


def member(name: str, data: bytes = b"", kind: bytes = tarfile.REGTYPE, link: str = "") -> Any:
    info = tarfile.TarInfo(name)
    info.type, info.linkname, info.size = kind, link, len(data) if kind == tarfile.REGTYPE else 0
    return info, data


def craft(path: Path, members: list[Any], manifest: dict[str, Any] | None = None) -> Path:
    """An archive of these members, with a manifest that vouches for every plain file in it
    (so only what the test makes wrong is wrong), unless one is given."""
    if manifest is None:
        database = backups.DATABASE_NAMES[connection.vendor]
        files = {
            info.name: hashlib.sha256(data).hexdigest()
            for info, data in members
            if info.isreg() and info.name != database
        }
        manifest = {
            "format": backups.FORMAT,
            "engine": connection.vendor,
            "database": {"name": database, "sha256": hashlib.sha256(DATABASE).hexdigest()},
            "file_count": len(files),
            "files": files,
        }
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as archive:
        for info, data in members:
            archive.addfile(info, io.BytesIO(data) if info.isreg() else None)
        body = json.dumps(manifest).encode()
        info, _ = member(backups.MANIFEST, body)
        archive.addfile(info, io.BytesIO(body))
    return path


@pytest.fixture
def site(settings, tmp_path, monkeypatch) -> Path:
    """A site whose files are one casework attachment and one leaflet; the database must never
    be touched."""
    settings.MEDIA_ROOT = tmp_path / "site" / "media"
    (tmp_path / "site" / "private" / "casework" / "1").mkdir(parents=True)
    (tmp_path / "site" / "private" / "casework" / "1" / "letter.pdf").write_bytes(b"%PDF old")
    (tmp_path / "site" / "media").mkdir()
    (tmp_path / "site" / "media" / "leaflet.pdf").write_bytes(b"%PDF leaflet")

    def never(source: Path) -> None:
        raise AssertionError("the database was replaced")

    monkeypatch.setattr(backups, "load_database", never)
    return tmp_path / "site"


def everything_under(folder: Path) -> dict[str, bytes | None]:
    return {
        str(p.relative_to(folder)): p.read_bytes() if p.is_file() else None
        for p in sorted(folder.rglob("*"))
    }


def database() -> Any:
    return member(backups.DATABASE_NAMES[connection.vendor], DATABASE)


CRAFTED = {
    "a name that climbs out": [member("files/private/../../../outside", b"x")],
    "a name that climbs out at the top": [member("../outside", b"x")],
    "an absolute name": [member("/tmp/outside", b"x")],
    "a name with a dot": [member("files/private/./outside", b"x")],
    "an empty part": [member("files/private//outside", b"x")],
    "a backslash": [member("files\\private\\..\\outside", b"x")],
    "a symbolic link": [member("files/private/outside", kind=tarfile.SYMTYPE, link="/etc/passwd")],
    "a hard link": [member("files/private/outside", kind=tarfile.LNKTYPE, link="etc/passwd")],
    "a device": [member("files/private/outside", kind=tarfile.CHRTYPE)],
    "a pipe": [member("files/private/outside", kind=tarfile.FIFOTYPE)],
    "a folder": [member("files/private/outside", kind=tarfile.DIRTYPE)],
    "a name with no place": [member("etc/outside", b"x")],
    "a root that is not ours": [member("files/static/outside", b"x")],
    "a file where a folder goes": [
        member("files/private/casework", b"x"),
        member("files/private/casework/outside", b"x"),
    ],
    "the same name twice": [member("files/media/outside", b"x"), member("files/media/outside")],
}


@pytest.mark.parametrize("problem", CRAFTED)
def test_a_crafted_archive_is_refused_and_writes_nothing_outside(problem, site, tmp_path):
    before = everything_under(tmp_path)
    archive = craft(tmp_path / "crafted.tar", [database(), *CRAFTED[problem]])
    with pytest.raises(backups.BackupError, match="refused"):
        backups.restore(archive)
    before[archive.name] = archive.read_bytes()
    assert everything_under(tmp_path) == before  # the old files, and no staging folder left
    assert not Path("/tmp/outside").exists()


def test_a_file_that_does_not_match_its_manifest_is_refused(site, tmp_path):
    before = everything_under(site)
    good = [database(), member("files/private/casework/1/new.pdf", b"%PDF new")]
    manifest = {
        "format": backups.FORMAT,
        "engine": connection.vendor,
        "database": {"name": database()[0].name, "sha256": hashlib.sha256(DATABASE).hexdigest()},
        "file_count": 1,
        "files": {"files/private/casework/1/new.pdf": hashlib.sha256(b"%PDF other").hexdigest()},
    }
    with pytest.raises(backups.BackupError, match="does not match the manifest"):
        backups.restore(craft(tmp_path / "a.tar", good, manifest))

    manifest["files"] = {}
    manifest["file_count"] = 0
    with pytest.raises(backups.BackupError, match="does not match its manifest"):
        backups.restore(craft(tmp_path / "b.tar", good, manifest))

    manifest["file_count"] = 5
    with pytest.raises(backups.BackupError, match="does not add up"):
        backups.restore(craft(tmp_path / "c.tar", [database()], manifest))

    manifest.update(engine="oracle", file_count=0)
    with pytest.raises(backups.BackupError, match="backup of oracle"):
        backups.restore(craft(tmp_path / "d.tar", [database()], manifest))

    manifest.update(engine=connection.vendor, format=99)
    with pytest.raises(backups.BackupError, match="no manifest of a known format"):
        backups.restore(craft(tmp_path / "e.tar", [database()], manifest))
    assert everything_under(site) == before


def test_an_archive_without_a_manifest_or_not_an_archive_is_refused(site, tmp_path):
    before = everything_under(site)
    bare = tmp_path / "bare.tar"
    with tarfile.open(bare, "w") as archive:
        info, data = database()
        archive.addfile(info, io.BytesIO(data))
    with pytest.raises(backups.BackupError, match="no manifest"):
        backups.restore(bare)
    (tmp_path / "junk").write_bytes(b"nothing we know" * 100)
    with pytest.raises(backups.BackupError, match="not a Homeward backup"):
        backups.restore(tmp_path / "junk")
    assert everything_under(site) == before


def test_overlapping_media_root_and_private_files_are_refused(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    with pytest.raises(backups.BackupError, match="overlaps"):
        backups.file_roots()


def test_a_backup_is_not_written_inside_the_folders_it_copies(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    with pytest.raises(backups.BackupError, match="outside the folders it copies"):
        backups.backup(tmp_path / "private" / "nightly.tar")
    assert not (tmp_path / "private").exists()
