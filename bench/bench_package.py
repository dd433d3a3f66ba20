"""The installable program: size of dist/gridbook and cold start (process start to the first window shown).

Times the bundle's own `--selftest`, which prints a line the moment the main window is first exposed
(after opening a fresh data folder, as a first launch does); the clock runs from just before the
process is spawned to the moment that line arrives. Builds nothing: without dist/gridbook it returns [].
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from .common import Figure

BUNDLE = Path(__file__).resolve().parents[1] / "dist" / "gridbook"
EXE = BUNDLE / ("gridbook.exe" if sys.platform == "win32" else "gridbook")
SHOWN = "main window shown"
TARGET_S = 2.0


def folder_mb(folder: Path) -> float:
    # Linux bundles link some libraries twice (symlinks): count each file once, as the disk does.
    return sum(p.lstat().st_size for p in folder.rglob("*") if p.is_file() and not p.is_symlink()) / 1e6


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) the process has used so far; Linux only. Unlike wall time it hardly
    moves when other work shares the 2 cores, so it tells a slower program from a busier machine."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def start_to_window(timeout: float = 60.0, data: Path | None = None) -> tuple[float, float | None]:
    """(wall seconds, CPU seconds) from spawning the bundled program to its first window being shown;
    on a new data folder (a first launch: the file is created and migrated) or on `data`."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    if data is not None:
        env["GRIDBOOK_SELFTEST_DATA"] = str(data)
    started = time.perf_counter()
    process = subprocess.Popen([str(EXE), "--selftest"], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                               env=env, text=True)
    shown = cpu = None
    try:
        for line in process.stdout:
            if shown is None and SHOWN in line:
                shown = time.perf_counter() - started
                cpu = cpu_seconds(process.pid)
        process.wait(timeout=timeout)
    finally:
        if process.poll() is None:
            process.kill()
    if process.returncode != 0 or shown is None:
        raise RuntimeError(f"{EXE} --selftest failed (exit code {process.returncode})")
    return shown, cpu


def run(quick: bool = False) -> list[Figure]:
    if not EXE.exists():
        print(f"bench_package: no bundle at {BUNDLE}; run `make package` first (nothing measured)",
              file=sys.stderr)
        return []
    qt = BUNDLE / "_internal" / "PySide6"
    size = Figure("bundle size (dist/gridbook, one folder)", folder_mb(BUNDLE), "MB",
                  reference=f"Qt/PySide6 part {folder_mb(qt):.0f} MB" if qt.exists() else "")
    runs = 3 if quick else 7
    with tempfile.TemporaryDirectory() as tmp:
        everyday = Path(tmp) / "data"
        start_to_window(data=everyday)                  # warm-up (disk cache) and the worker's data file
        first_launch = statistics.median(start_to_window()[0] for _ in range(3))
        samples = [start_to_window(data=everyday) for _ in range(runs)]
    wall = sorted(w for w, _ in samples)
    cpu = sorted(c for _, c in samples if c is not None)
    median = statistics.median(wall)
    load = ""
    if hasattr(os, "getloadavg"):               # others' work on the same cores shows up in wall time
        load = f", load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"
    cold = Figure(f"cold start on an existing data file, process start to first window (median of {runs})",
                  median, "s",
                  reference=f"min {wall[0]:.2f} s, max {wall[-1]:.2f} s; first launch (new file created "
                            f"and migrated) {first_launch:.2f} s{load}",
                  target=f"< {TARGET_S:.0f} s", met=median < TARGET_S)
    figures = [size, cold]
    if cpu:
        figures.append(Figure("cold start: CPU time used until the first window (median)",
                              statistics.median(cpu), "s", reference="user + system, all threads"))
    return figures


if __name__ == "__main__":
    for figure in run(quick="--quick" in sys.argv):
        print(figure)
