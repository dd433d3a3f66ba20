"""`python -m desktop.ui.translations`: refresh the .ts from the UI sources, then build the .qm.

pyside6-lupdate collects every translate("Context", "text") of desktop/ui into
resources/translations/gridbook_zh_CN.ts (keeping the translations already there);
a translator fills in the new ones (Qt Linguist: `pyside6-linguist`), and
pyside6-lrelease builds the .qm the app loads. Both .ts and .qm are committed.
"""
from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

UI_DIR = Path(__file__).resolve().parent
TS_FILE = UI_DIR.parents[1] / "resources" / "translations" / "gridbook_zh_CN.ts"


def tool(name: str) -> str:
    """The PySide6 tool beside this interpreter (the venv's bin/Scripts), else on PATH."""
    here = Path(sys.executable).parent / name
    for candidate in (here, here.with_suffix(".exe")):
        if candidate.exists():
            return str(candidate)
    found = shutil.which(name)
    if not found:
        raise SystemExit(f"{name} not found: install PySide6 into this environment")
    return found


def sources() -> list[str]:
    return sorted(str(p) for p in UI_DIR.glob("*.py"))


def update(ts_file: Path = TS_FILE, extra: tuple[str, ...] = ()) -> None:
    ts_file.parent.mkdir(parents=True, exist_ok=True)
    subprocess.run([tool("pyside6-lupdate"), *sources(), *extra, "-no-obsolete", "-locations", "none",
                    "-source-language", "en", "-target-language", "zh_CN", "-ts", str(ts_file)],
                   check=True, capture_output=True)


def release(ts_file: Path = TS_FILE) -> Path:
    qm_file = ts_file.with_suffix(".qm")
    subprocess.run([tool("pyside6-lrelease"), str(ts_file), "-qm", str(qm_file)], check=True,
                   capture_output=True)
    return qm_file


def main() -> int:
    update()
    print(f"updated {TS_FILE}")
    print(f"built {release()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
