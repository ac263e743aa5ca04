"""The embedded PostgreSQL restarted (the bench's cold measurements): same URL, a new server, stopped as before."""

from pathlib import Path

import psutil
import psycopg

from cloudforge.local.postgres import embedded_postgres_url, restart_embedded_postgres


def postmaster(state_dir: Path, url: str) -> tuple[int, object]:
    """The server's process id (postmaster.pid's first line) and start time, as the URL reaches it."""
    with psycopg.connect(url) as conn:
        started = conn.execute("SELECT pg_postmaster_start_time()").fetchone()[0]
    return int((state_dir / "postgres" / "postmaster.pid").read_text().split()[0]), started


def is_running(pid: int) -> bool:
    """A stopped server whose parent has not reaped it yet (a zombie) does not count."""
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_a_restart_starts_a_new_server_that_stops_with_the_last_handle(tmp_path):
    import pgserver

    url = embedded_postgres_url(tmp_path)
    old_pid, old_start = postmaster(tmp_path, url)

    restart_embedded_postgres(tmp_path)

    new_pid, new_start = postmaster(tmp_path, url)  # the same URL reaches the new server
    assert (new_pid != old_pid, new_start > old_start, is_running(old_pid)) == (True, True, False)
    pgserver.get_server(tmp_path / "postgres").cleanup()  # what the exit of the last process that asked does
    assert not is_running(new_pid)
