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
