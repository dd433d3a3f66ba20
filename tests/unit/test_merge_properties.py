"""merge_fields as hypothesis properties: every replica ends the same whatever reaches it, in whatever order."""
import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from sync import clock
from sync.merge import merge_fields

FIELDS = ("name", "phone", "address", "deleted")
DEVICES = ("a" * 36, "b" * 36, "c" * 36)


@st.composite
def changes(draw, min_size=1, max_size=6):
    """Changes as a device makes them: one stamp (hlc, device) each, never the same stamp twice."""
    stamps = draw(st.lists(st.tuples(st.integers(1, 50), st.sampled_from(DEVICES)), min_size=min_size,
                           max_size=max_size, unique=True))
    out = []
    for hlc, device in stamps:
        fields = draw(st.dictionaries(st.sampled_from(FIELDS), st.one_of(st.text(max_size=3), st.booleans()),
                                      min_size=1))
        stamp = clock.stamp(hlc, device)
        out.append((fields, dict.fromkeys(fields, stamp)))
    return out


def apply(state, change):
    values, clocks = state
    updates, merged_clocks, _ = merge_fields(values, clocks, *change)
    return {**values, **updates}, merged_clocks


def replay(sequence, state=({}, {})):
    for change in sequence:
        state = apply(state, change)
    return state


@given(changes(min_size=2, max_size=2))
def test_two_changes_commute(pair):
    first, second = pair
    assert replay([first, second]) == replay([second, first])


@given(changes(), st.data())
def test_a_change_applied_again_changes_nothing(sequence, data):
    state = replay(sequence)
    again = data.draw(st.sampled_from(sequence))
    assert apply(state, again) == state
    updates, clocks, _ = merge_fields(state[0], state[1], *again)
    assert updates == {} and clocks == state[1]          # a replay of a losing change only reports it again


@settings(max_examples=50)
@given(changes(max_size=5))
def test_every_order_of_arrival_ends_in_the_same_state(sequence):
    ends = {repr(sorted(replay(order)[0].items(), key=repr)) for order in itertools.permutations(sequence)}
    assert len(ends) == 1


@given(changes())
def test_each_field_holds_the_value_of_its_newest_stamp(sequence):
    values, clocks = replay(sequence)
    for name in {f for fields, _ in sequence for f in fields}:
        newest = max((c[name], fields[name]) for fields, c in sequence if name in fields)
        assert (clocks[name], values[name]) == newest


@given(changes(min_size=2, max_size=2))
def test_a_losing_write_is_reported_as_an_overwrite_either_way(pair):
    (old_fields, old_clocks), (new_fields, new_clocks) = sorted(pair, key=lambda c: max(c[1].values()))
    shared = [f for f in new_fields if f in old_fields and old_fields[f] != new_fields[f]
              and old_clocks[f] != new_clocks[f]]
    _, _, forward = merge_fields(old_fields, old_clocks, new_fields, new_clocks)
    _, _, backward = merge_fields(new_fields, new_clocks, old_fields, old_clocks)
    assert sorted(o.field for o in forward) == sorted(shared) == sorted(o.field for o in backward)
    assert all(o.winner_stamp > (o.loser_stamp or "") for o in forward + backward)
