"""Starting the app: no display says so and exits 0; the window remembers its page and layout."""
from PySide6.QtCore import Qt

from desktop.__main__ import NO_DISPLAY, main
from desktop.ui.app import cjk_family, create_application, install_language
from desktop.ui.main_window import MainWindow


def test_without_a_display_it_prints_one_line_and_exits_0(monkeypatch, capsys, data_dir):
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setattr("sys.platform", "linux")
    assert main(["--data", str(data_dir)]) == 0
    assert capsys.readouterr().out.strip() == NO_DISPLAY


def test_the_window_is_chinese_and_remembers_its_page_and_grid(qtbot, ledger):
    app = create_application(lang="zh_CN")
    family = cjk_family()
    assert family is None or family in app.font().families()
    window = MainWindow(ledger)
    qtbot.addWidget(window)
    assert window.tabs.tabText(1) == "住户" and window.menuBar().actions()[0].text().startswith("文件")
    window.show_page("incident")
    window.tree.select_code("420704100201-03")
    window.close()
    again = MainWindow(ledger)
    qtbot.addWidget(again)
    assert again.tabs.currentWidget() is again.pages["incident"]
    assert again.tree.current_code() == "420704100201-03"
    assert again.pages["incident"].grid == "420704100201-03"
    assert (ledger.store.path.parent / "gridbook.ini").exists()
    again.close()


def test_english_is_one_choice_away(qtbot, ledger):
    app = create_application(lang="en")
    try:
        window = MainWindow(ledger)
        qtbot.addWidget(window)
        assert window.tabs.tabText(1) == "Households"
        assert window.pages["person"].model.headerData(3, Qt.Orientation.Horizontal) == "ID number"
        window.close()
    finally:
        install_language(app, "zh_CN")
