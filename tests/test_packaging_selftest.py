"""`gridbook --selftest` run unbundled, as the bundle runs it: the checks pass here and fail with a reason."""
import os
import subprocess
import sys
from pathlib import Path

from PySide6.QtGui import QColor, QImage

from desktop.ui import selftest

ROOT = Path(__file__).resolve().parents[1]


def run_selftest(*args: str, platform: str = "offscreen", scratch: Path | None = None):
    env = {**os.environ, "QT_QPA_PLATFORM": platform}
    if scratch is not None:
        env["TMPDIR"] = env["TEMP"] = env["TMP"] = str(scratch)      # where a failed run keeps its folder
    return subprocess.run([sys.executable, "-m", "desktop", "--selftest", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=120)


def test_the_selftest_passes_and_leaves_a_chinese_screenshot(tmp_path):
    shot = tmp_path / "shots" / "selftest.png"
    result = run_selftest(str(shot))
    assert result.returncode == 0, result.stderr
    assert "selftest passed" in result.stdout
    assert "main window shown" in result.stdout
    assert shot.with_suffix(".txt").read_text(encoding="utf-8").strip() == "selftest passed"
    image = QImage(str(shot))
    assert image.width() > 600 and image.height() > 400
    assert selftest.non_blank(image) >= 4


def test_a_failing_selftest_exits_1_with_the_reason_not_a_traceback(tmp_path):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the screenshot folder should be")
    result = run_selftest(str(blocker / "selftest.png"))
    assert result.returncode == 1
    assert "selftest FAILED" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_platform_without_chinese_fonts_fails_the_selftest(tmp_path):
    # Qt's "minimal" platform has no font database: exactly the bundle that would show boxes.
    shot = tmp_path / "selftest.png"
    result = run_selftest(str(shot), platform="minimal", scratch=tmp_path)
    assert result.returncode == 1
    assert "Chinese would show as boxes" in result.stderr
    assert "Chinese would show as boxes" in shot.with_suffix(".txt").read_text(encoding="utf-8")


def test_a_blank_render_counts_as_blank():
    image = QImage(400, 300, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    assert selftest.non_blank(image) == 1
    image.setPixelColor(0, 0, QColor("black"))
    assert selftest.non_blank(image) == 2
