"""The SQLite database and its backups hold password hashes: created 0600 whatever the umask."""

import os
import stat

from carriermap.auth import create_user
from carriermap.cli import main as cli_main
from carriermap.store import Store


def _mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_a_new_database_and_its_backup_are_readable_by_their_owner_only(tmp_path, monkeypatch):
    old = os.umask(0o022)  # the usual umask: plain files come out 0644
    try:
        path = tmp_path / "new.sqlite"
        store = Store.open(f"sqlite:///{path}", seed=False)
        create_user(store, "boss", "correct-horse-battery", "admin")
        store.engine.dispose()
        assert _mode(path) == 0o600
        for suffix in ("-wal", "-shm"):
            if os.path.exists(f"{path}{suffix}"):
                assert _mode(f"{path}{suffix}") & 0o077 == 0
        backup = tmp_path / "backup.sqlite"
        assert cli_main(["--database", f"sqlite:///{path}", "db", "backup", str(backup)]) == 0
        assert _mode(backup) == 0o600
    finally:
        os.umask(old)


def test_an_existing_world_readable_database_is_tightened_when_opened(tmp_path, seeded_db_file):
    path = tmp_path / "old.sqlite"
    path.write_bytes(seeded_db_file.read_bytes())
    os.chmod(path, 0o644)
    Store.open(f"sqlite:///{path}").engine.dispose()
    assert _mode(path) == 0o600
