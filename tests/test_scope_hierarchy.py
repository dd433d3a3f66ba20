"""Scope is the hierarchy, not a string prefix, at a real station: grid -03 never reaches its sibling -031."""
from tests.station_support import household, new_account

GRID_03, GRID_031 = "420704100201-03", "420704100201-031"


def test_a_worker_of_grid_03_neither_writes_nor_reads_grid_031(station):
    station.import_grids([{"code": GRID_031, "name": "幸福村第三十一网格", "level": "grid",
                           "parent_code": "420704100201"}])
    worker_03 = new_account(station, grids=(GRID_03,))
    worker_031 = new_account(station, grids=(GRID_031,))
    township = new_account(station, role="township", grids=("420704100",))

    hid, fields = household(grid=GRID_031)
    refused = worker_03.push([worker_03.change("household", hid, fields)])
    assert refused.status_code == 403, refused.text

    accepted = worker_031.push([worker_031.change("household", hid, fields)])
    assert accepted.status_code == 200, accepted.text
    colleague_03 = new_account(station, grids=(GRID_03,))
    own, own_fields = household(grid=GRID_03)
    assert colleague_03.push([colleague_03.change("household", own, own_fields)]).status_code == 200

    seen_by_03 = {i for t, i in worker_03.pull_all() if t == "household"}
    seen_by_township = {i for t, i in township.pull_all() if t == "household"}
    assert hid not in seen_by_03 and own in seen_by_03
    assert {hid, own} <= seen_by_township
