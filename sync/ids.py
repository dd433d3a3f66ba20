"""Record ids: time-ordered UUIDs (v7) made on the device, so records are born offline."""
import os
import threading
import time
import uuid

_lock = threading.Lock()
_last_ms = 0
_counter = 0
# Random bits are drawn from the OS a pool at a time: one getrandom call per id was a tenth of an
# import's check (a system call costs several microseconds on the laptops' virtual machines too).
_POOL_BYTES = 10 * 1024            # 1,024 ids
_pool = b""
_taken = 0


def _forget_pool() -> None:
    """A forked child must not hand out the random bits its parent will use too."""
    global _pool, _taken
    _pool, _taken = b"", 0


if hasattr(os, "register_at_fork"):          # Unix only: Windows has no fork
    os.register_at_fork(after_in_child=_forget_pool)


def new_id() -> str:
    """A UUIDv7 string: 48-bit Unix milliseconds, a 12-bit counter, then random bits (RFC 9562).

    Within one millisecond the counter (RFC 9562, method 1) keeps ids made by this
    process in creation order, so "the order they were added" survives sorting by id.
    """
    global _last_ms, _counter, _pool, _taken
    with _lock:
        if _taken >= len(_pool):
            _pool, _taken = os.urandom(_POOL_BYTES), 0
        rand = int.from_bytes(_pool[_taken:_taken + 10], "big")
        _taken += 10
        ms = time.time_ns() // 1_000_000
        if ms > _last_ms:
            _last_ms, _counter = ms, (rand >> 68) & 0x7FF       # random start, room to count up
        else:
            _counter += 1
            if _counter > 0xFFF:                                # counter spent: borrow the next ms
                _last_ms, _counter = _last_ms + 1, 0
        ms, counter = _last_ms, _counter
    value = (ms & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76                       # version 7
    value |= counter << 64                   # rand_a used as a counter
    value |= 0b10 << 62                      # RFC 4122 variant
    value |= rand & ((1 << 62) - 1)          # rand_b, 62 bits
    digits = f"{value:032x}"                 # str(uuid.UUID(int=value)), without its checks: a third of the cost
    return f"{digits[:8]}-{digits[8:12]}-{digits[12:16]}-{digits[16:20]}-{digits[20:]}"


def is_uuid(text: str) -> bool:
    try:
        uuid.UUID(str(text))
    except ValueError:
        return False
    return True
