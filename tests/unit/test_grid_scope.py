"""The hierarchy rule: a grid code covers itself and what lies under it, never its sibling -031."""
import pytest

from sync.grid_scope import covers, in_scope

GRID_03, GRID_031, GRID_3 = "420704100201-03", "420704100201-031", "420704100201-3"


@pytest.mark.parametrize(("scope", "code", "expected"), [
    (GRID_03, GRID_03, True),
    (GRID_03, GRID_031, False),               # a sibling with a longer serial
    (GRID_3, GRID_03, False),
    (GRID_3, "420704100201-30", False),
    (GRID_03, GRID_03 + "-1", True),          # a micro-grid under the grid
    ("420704100201", GRID_031, True),         # the village holds all its grids
    ("420704100201", "4207041002011", False),  # not a code under the village
    ("420704100", GRID_031, True),
    ("420704100", "420704101201-01", False),
    ("420704", "420704101201-01", True),
    ("420704", "420704101", True),
    ("420704", "420704-1", False),
    ("420704", "420705100201-01", False),
    (GRID_03, None, False),
    (GRID_03, "", False),
])
def test_a_code_covers_itself_and_what_lies_under_it(scope, code, expected):
    assert covers(scope, code) is expected


def test_any_of_the_accounts_codes_decides():
    assert in_scope([GRID_031, "420704101"], "420704101201-01")
    assert not in_scope([GRID_031], GRID_03)
