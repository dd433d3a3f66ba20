"""gridbook-cli as a real process that a test can SIGKILL at a chosen moment, and what it leaves behind."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from tests.support import keyed

ROOT = Path(__file__).resolve().parents[2]
# The token is in the data folder (tests never touch the machine's keyring): the process reads it there.
NO_KEYRING = "keyring.backends.fail.Keyring"


def start_cli(folder: Path, *args: str, env: dict | None = None) -> subprocess.Popen:
    """`gridbook-cli --data FOLDER ARGS` in its own process, output kept for the failure message."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHON_KEYRING_BACKEND": NO_KEYRING, **(env or {})}
    return subprocess.Popen([sys.executable, "-m", "desktop.cli", "--data", str(folder), *args],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=environment, cwd=ROOT)


class Killer:
    """SIGKILLs one process `delay` seconds after `arm()` (called from wherever the moment is known)."""

    def __init__(self, process: subprocess.Popen, delay: float):
        self.process, self.delay = process, delay
        self.armed = threading.Event()
        self.killed = False

    def arm(self) -> None:
        if not self.armed.is_set():
            self.armed.set()
            timer = threading.Timer(self.delay, self._kill)
            timer.daemon = True
            timer.start()

    def _kill(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.killed = True


def finish(process: subprocess.Popen, timeout: float = 60) -> tuple[int, str]:
    """Wait for the process; its exit code (-9 if killed) and its output."""
    try:
        out, _ = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()
        out, _ = process.communicate()
    return process.returncode, out.decode("utf-8", "replace")


def integrity(database: Path) -> str:
    """PRAGMA integrity_check of a SQLite file another process may have left mid-write ("ok" if sound)."""
    with keyed.connect(database) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
