"""CPU time of processes on this machine, read from /proc: the benchmark server's workers and the database
server's backends, for the CPU-per-request figures."""

from __future__ import annotations

import os
from pathlib import Path


def _cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _children(parent: int) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1]) == parent:
                    pids.append(int(entry.name))
            except (OSError, IndexError, ValueError):
                pass
    return pids


def database_server_pid() -> int | None:
    """The PostgreSQL postmaster's process id when it runs on this machine and its pid file is readable
    (the embedded server always); None otherwise, and the database's CPU is then not reported."""
    from django.db import connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("SHOW data_directory")
            data_directory = Path(cursor.fetchone()[0])
        return int((data_directory / "postmaster.pid").read_text().split()[0])
    except Exception:  # noqa: BLE001 (not superuser, another machine, unreadable: then we do without)
        return None
    finally:
        connection.close()


def cpu_used(before: dict[int, float], after: dict[int, float]) -> float:
    """CPU seconds the processes used between two snapshots: a process that started in between counts in
    full; one that ended in between is left out (its last moments cannot be read), never counted negative."""
    return sum(max(0.0, cpu - before.get(pid, 0.0)) for pid, cpu in after.items())
