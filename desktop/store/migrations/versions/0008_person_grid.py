"""Schema 8: residents keep their household's grid, and the data file keeps its counts per grid.

A resident has no grid of its own (it lives where its household does), so "the residents of
this village" went through the households and read every resident of the file: a page or a
count of one village among 200,000 residents took 0.3-1.6 s, the dashboard over all grids
1-4 s (bench_local). Both are local to the data file, never synced, and kept by triggers,
whoever writes (a form, an import, a pull):
- person.grid_code: the grid of the resident's live household, set when the resident is
  written or moves house, and when the household moves to another grid or is deleted; a
  partial index over the live residents makes a village an index range.
- grid_tally: per grid, live households, residents by residence and residents by key-group
  tag, counted up and down as records come, change and go; the dashboard reads a few rows.

Revision ID: 0008
"""
import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

HOUSEHOLD_GRID = "(SELECT h.grid_code FROM household h WHERE h.id = NEW.household_id AND h.deleted = 0)"
HOUSEHOLD_PLACE = "CASE WHEN NEW.deleted THEN NULL ELSE NEW.grid_code END"


def _live(row: str) -> str:
    return f"{row}.deleted = 0 AND {row}.grid_code IS NOT NULL"


def _residence(row: str, sign: str) -> str:
    """The statement counting `row` (NEW or OLD) of person in or out of its grid's residence count, if live."""
    if sign == "+":
        return (f"INSERT INTO grid_tally SELECT {row}.grid_code, 'residence', coalesce({row}.residence, ''), 1 "
                f"WHERE {_live(row)} ON CONFLICT DO UPDATE SET n = n + 1")
    return (f"UPDATE grid_tally SET n = n - 1 WHERE {_live(row)} AND grid_code = {row}.grid_code "
            f"AND kind = 'residence' AND value = coalesce({row}.residence, '')")


def _tags(row: str, sign: str) -> str:
    """The statement counting `row`'s key-group tags in or out of its grid's counts, if live."""
    if sign == "+":
        return (f"INSERT INTO grid_tally SELECT {row}.grid_code, 'tag', j.value, 1 FROM json_each({row}.tags) j "
                f"WHERE {_live(row)} AND j.type = 'text' ON CONFLICT DO UPDATE SET n = n + 1")
    return (f"UPDATE grid_tally SET n = n - (SELECT count(*) FROM json_each({row}.tags) j "
            f"WHERE j.value = grid_tally.value AND j.type = 'text') WHERE {_live(row)} "
            f"AND grid_code = {row}.grid_code AND kind = 'tag' AND value IN (SELECT value FROM json_each({row}.tags))")


def _household(row: str, sign: str) -> str:
    live = f"{row}.deleted = 0"
    if sign == "+":
        return (f"INSERT INTO grid_tally SELECT {row}.grid_code, 'household', '', 1 WHERE {live} "
                "ON CONFLICT DO UPDATE SET n = n + 1")
    return f"UPDATE grid_tally SET n = n - 1 WHERE {live} AND grid_code = {row}.grid_code AND kind = 'household'"


def _body(*statements: str) -> str:
    return "BEGIN " + "; ".join(statements) + "; END"


PLACED = ("OLD.grid_code IS NOT NEW.grid_code OR OLD.deleted IS NOT NEW.deleted")
TAGGED = "(OLD.tags != '[]' OR NEW.tags != '[]')"
# Each trigger says in its WHEN when it has work: a trigger that fires and does nothing still costs
# statements, and a first pull writes tens of thousands of residents.
TRIGGERS = {
    # the resident's grid: its household's (the store's bulk paths write it themselves: desktop.store.places)
    "person_grid_on_insert": "AFTER INSERT ON person WHEN NEW.grid_code IS NULL AND NEW.household_id IS NOT NULL "
                             + _body(f"UPDATE person SET grid_code = {HOUSEHOLD_GRID} WHERE rowid = NEW.rowid"),
    "person_grid_on_move": "AFTER UPDATE OF household_id ON person WHEN OLD.household_id IS NOT NEW.household_id "
                           + _body(f"UPDATE person SET grid_code = {HOUSEHOLD_GRID} WHERE rowid = NEW.rowid"),
    # a household written after its residents (a pull may bring them first), moved, or deleted
    "household_grid_on_insert": "AFTER INSERT ON household "
                                + _body(f"UPDATE person SET grid_code = {HOUSEHOLD_PLACE} WHERE household_id = NEW.id"),
    "household_grid_on_change": f"AFTER UPDATE OF grid_code, deleted ON household WHEN {PLACED} "
                                + _body(f"UPDATE person SET grid_code = {HOUSEHOLD_PLACE} WHERE household_id = NEW.id"),
    # the counts
    "tally_person_insert": f"AFTER INSERT ON person WHEN {_live('NEW')} " + _body(_residence("NEW", "+")),
    "tally_person_insert_tags": f"AFTER INSERT ON person WHEN {_live('NEW')} AND NEW.tags != '[]' "
                                + _body(_tags("NEW", "+")),
    "tally_person_update": f"AFTER UPDATE ON person WHEN {PLACED} OR OLD.residence IS NOT NEW.residence "
                           + _body(_residence("OLD", "-"), _residence("NEW", "+")),
    "tally_person_update_tags": f"AFTER UPDATE ON person WHEN ({PLACED} OR OLD.tags IS NOT NEW.tags) AND {TAGGED} "
                                + _body(_tags("OLD", "-"), _tags("NEW", "+")),
    "tally_person_delete": f"AFTER DELETE ON person WHEN {_live('OLD')} "
                           + _body(_residence("OLD", "-"), _tags("OLD", "-")),
    "tally_household_insert": "AFTER INSERT ON household WHEN NEW.deleted = 0 " + _body(_household("NEW", "+")),
    "tally_household_update": f"AFTER UPDATE ON household WHEN {PLACED} "
                              + _body(_household("OLD", "-"), _household("NEW", "+")),
    "tally_household_delete": "AFTER DELETE ON household WHEN OLD.deleted = 0 " + _body(_household("OLD", "-")),
}


def upgrade() -> None:
    op.add_column("person", sa.Column("grid_code", sa.String(40)))
    op.execute("UPDATE person SET grid_code = (SELECT h.grid_code FROM household h "
               "WHERE h.id = person.household_id AND h.deleted = 0)")
    op.execute("CREATE TABLE grid_tally (grid_code VARCHAR(40) NOT NULL, kind VARCHAR(10) NOT NULL, "
               "value VARCHAR(40) NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (grid_code, kind, value)) WITHOUT ROWID")
    op.execute("INSERT INTO grid_tally SELECT grid_code, 'household', '', count(*) FROM household "
               "WHERE deleted = 0 GROUP BY grid_code")
    op.execute("INSERT INTO grid_tally SELECT grid_code, 'residence', coalesce(residence, ''), count(*) FROM person "
               "WHERE deleted = 0 AND grid_code IS NOT NULL GROUP BY grid_code, coalesce(residence, '')")
    op.execute("INSERT INTO grid_tally SELECT p.grid_code, 'tag', j.value, count(*) FROM person p, json_each(p.tags) j "
               "WHERE p.deleted = 0 AND p.grid_code IS NOT NULL AND j.type = 'text' GROUP BY p.grid_code, j.value")
    for name, body in TRIGGERS.items():
        op.execute(f"CREATE TRIGGER {name} {body}")
    # `deleted IS 0` as the store's queries write it (SQLAlchemy's is_(False)), so SQLite sees they match
    op.create_index("ix_person_grid_live", "person", ["grid_code"], sqlite_where=sa.text("deleted IS 0"))
