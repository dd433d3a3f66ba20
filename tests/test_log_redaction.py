"""gridbook.log never carries an ID number, a phone number or a name, whatever the program logs or raises."""
import logging

import pytest
from sqlalchemy.exc import IntegrityError

from desktop.log_redaction import redact
from desktop.ui import crash

ID_NUMBER, PHONE, NAME, ADDRESS = "420704196503120012", "13871234567", "欧阳秀英", "幸福村3组12号"


@pytest.fixture
def log_file(data_dir):
    path = crash.setup_logging(data_dir)
    yield path
    root = logging.getLogger()
    for handler in [h for h in root.handlers if getattr(h, "_gridbook", False)]:
        root.removeHandler(handler)
        handler.close()


def test_the_log_masks_id_numbers_phones_and_names_in_messages_and_tracebacks(log_file, store):
    log = logging.getLogger("gridbook.test")
    log.warning("saving %s (%s), phone %s, at %s", NAME, ID_NUMBER, PHONE, ADDRESS)
    log.info("old number 420704650312001, landline 0710-3456789, lower-case x: 42070419780722002x")
    try:
        raise ValueError(f"身份证号 {ID_NUMBER} 校验位不符（{NAME}）")
    except ValueError:
        log.exception("could not save")
    try:                                             # a database error: SQLAlchemy would print the parameters
        with store.atomic() as conn:
            conn.exec_driver_sql("INSERT INTO meta(key, value) VALUES (?, ?)", ("device_id", NAME + ID_NUMBER))
    except IntegrityError:
        log.exception("database refused")
    log.info("photo %s of record %s", "ab12" * 16, "01a20009-3cb1-7bd2-a99e-aca0551ed5ac")
    text = log_file.read_text(encoding="utf-8")
    for secret in (ID_NUMBER, PHONE, NAME, ADDRESS, "欧阳", "420704650312001", "3456789", "42070419780722002x"):
        assert secret not in text, secret
    assert "saving ‹…› (‹ID›), phone ‹phone›, at ‹…›3‹…›12‹…›" in text
    assert "Traceback" in text and "ValueError" in text and "IntegrityError" in text
    assert "ab12" * 16 in text and "01a20009-3cb1-7bd2-a99e-aca0551ed5ac" in text   # hashes and ids stay readable


def test_redact_leaves_other_numbers_alone():
    line = "synced 1200 changes in 3.5 s, seq 20261201093000"
    assert redact(line) == line
    assert redact("电话13800138000") == "‹…›‹phone›"
