"""The duty-cycle pages of the workbench (visits, …): made and added as tabs by one call from the main window."""
from __future__ import annotations

from .i18n import translate


def duty_titles() -> dict[str, str]:
    return {"visits": translate("MainWindow", "Visits"), "tasks": translate("MainWindow", "Task list"),
            "defence": translate("MainWindow", "Joint defence"), "assessment": translate("MainWindow", "Assessment"),
            "map": translate("MainWindow", "Map")}


def make_duty_pages(window) -> dict:
    """name -> page, each added to the window's tabs; each page has set_grid(code) and refresh()."""
    from .assessment_page import AssessmentPage
    from .defence_page import DefencePage
    from .map_page import MapPage
    from .tasks_page import TasksPage
    from .visits_page import VisitsPage

    pages = {"visits": VisitsPage(window.ledger, window.runner, window),
             "tasks": TasksPage(window.ledger, window.runner, window),
             "defence": DefencePage(window.ledger, window.runner, window),
             "assessment": AssessmentPage(window.ledger, window.runner, window, window.engine),
             "map": MapPage(window.ledger, window.runner, window)}
    titles = duty_titles()
    for name, page in pages.items():
        window.tabs.addTab(page, titles[name])
    return pages
