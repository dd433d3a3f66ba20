"""create_application: the QApplication in the user's language, with Chinese fonts and translators."""
from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from sync import messages

from . import qt_messages

RESOURCES = Path(__file__).resolve().parents[2] / "resources"
CJK_FAMILIES = ("Microsoft YaHei", "Microsoft YaHei UI", "PingFang SC", "Noto Sans CJK SC",
                "Source Han Sans SC", "WenQuanYi Micro Hei", "WenQuanYi Zen Hei", "SimSun")
LINUX_FONT_FILES = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
                    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")


def resources_dir() -> Path:
    # A PyInstaller build unpacks resources beside the executable (sys._MEIPASS).
    frozen = getattr(sys, "_MEIPASS", None)
    return Path(frozen) / "resources" if frozen else RESOURCES


def translations_dir() -> Path:
    return resources_dir() / "translations"


def cjk_family() -> str | None:
    """An installed font with Chinese glyphs; on Linux load the packaged file if fontconfig missed it."""
    families = set(QFontDatabase.families())
    for family in CJK_FAMILIES:
        if family in families:
            return family
    for path in LINUX_FONT_FILES:
        if Path(path).exists():
            loaded = QFontDatabase.applicationFontFamilies(QFontDatabase.addApplicationFont(path))
            if loaded:
                return loaded[0]
    return None


def install_language(app: QApplication, lang: str) -> None:
    """Load (or replace) the app's and Qt's own translators for `lang` (zh_CN or en)."""
    for translator in getattr(app, "_gridbook_translators", []):
        app.removeTranslator(translator)
    app._gridbook_translators = []
    lang = "en" if lang.lower().startswith("en") else "zh_CN"
    messages.set_language(lang)
    locale = QLocale(QLocale.Language.English, QLocale.Country.UnitedStates) if lang == "en" \
        else QLocale(QLocale.Language.Chinese, QLocale.Country.China)
    QLocale.setDefault(locale)
    app.setProperty("gridbook_language", lang)
    if lang == "en":
        return                                   # English is the source language of tr()
    qt_dir = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    for name, folder in (("gridbook_zh_CN", str(translations_dir())), ("qtbase_zh_CN", qt_dir)):
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            app._gridbook_translators.append(translator)


def create_application(argv: list[str] | None = None, lang: str = "zh_CN") -> QApplication:
    """The one QApplication (reused if it exists), set to `lang` whatever the system locale."""
    qt_messages.install()                        # before any pool thread can warn: see qt_messages
    app = QApplication.instance() or QApplication(list(argv or sys.argv[:1]))
    if not isinstance(app, QApplication):
        # A QGuiApplication/QCoreApplication made earlier in this process: any widget would
        # abort the whole process, so say what happened instead.
        raise RuntimeError(f"a {type(app).__name__} already exists in this process; widgets need a QApplication")
    app.setApplicationName("Gridbook")
    app.setOrganizationName("Gridbook")
    app.setApplicationDisplayName("网格台账 Gridbook")
    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "gridbook.png")))
    family = cjk_family()
    if family:
        font = QFont(app.font())
        font.setFamilies([app.font().family(), family] if lang == "en" else [family, app.font().family()])
        app.setFont(font)
    install_language(app, lang)
    return app


def language(app: QApplication | None = None) -> str:
    app = app or QApplication.instance()
    return (app.property("gridbook_language") if app else None) or messages.language()
