"""Record ids: UUIDv7 strings, as uuid renders them, in the order they were made."""
import uuid

from sync.ids import is_uuid, new_id


def test_ids_are_version_7_uuids_in_their_canonical_form():
    for _ in range(2000):
        made = new_id()
        parsed = uuid.UUID(made)
        assert str(parsed) == made and parsed.version == 7 and parsed.variant == uuid.RFC_4122
        assert is_uuid(made)


def test_ids_sort_in_the_order_they_were_made_even_within_a_millisecond():
    made = [new_id() for _ in range(5000)]
    assert sorted(made) == made and len(set(made)) == len(made)


def test_ids_made_on_both_sides_of_a_fork_differ():
    # random bits are drawn a pool at a time: a forked child (a multiprocessing worker) must not
    # reuse the bits its parent has drawn already, or both would make the same id
    import os

    import pytest

    if not hasattr(os, "fork"):
        pytest.skip("no fork on this platform")
    new_id()                                    # the pool is filled before the fork
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:                              # pragma: no cover - the child's side
        os.write(writer, new_id().encode())
        os._exit(0)
    os.close(writer)
    mine = new_id()
    os.waitpid(child, 0)
    theirs = os.read(reader, 64).decode()
    os.close(reader)
    assert is_uuid(theirs) and theirs != mine
    assert uuid.UUID(theirs).int & ((1 << 62) - 1) != uuid.UUID(mine).int & ((1 << 62) - 1)
