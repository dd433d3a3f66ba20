"""The station's request bodies: gzip members unpacked in one go, with the size cap and clear refusals."""
import gzip

import pytest

from sync.station.errors import StationError
from sync.station.http_body import gunzip


def test_one_member_several_members_and_zero_padding_unpack_to_the_body():
    assert gunzip(gzip.compress(b'{"a": 1}'), 100) == b'{"a": 1}'
    assert gunzip(gzip.compress(b'{"a": ') + gzip.compress(b"1}") + b"\0\0", 100) == b'{"a": 1}'


@pytest.mark.parametrize("data", [b"\x1f\x8bnot gzip", gzip.compress(b"x" * 1000, mtime=0)[:-12], b"plain text"],
                         ids=["not gzip", "cut short", "plain text"])
def test_a_broken_or_cut_short_body_is_malformed(data):
    with pytest.raises(StationError) as caught:
        gunzip(data, 10_000)
    assert caught.value.status_code == 400 and caught.value.code == "malformed"


def test_a_body_that_unpacks_past_the_cap_is_refused_as_too_large():
    with pytest.raises(StationError) as caught:
        gunzip(gzip.compress(b" " * 10_001), 10_000)
    assert caught.value.status_code == 413
    assert gunzip(gzip.compress(b" " * 10_000), 10_000) == b" " * 10_000
