"""The station's own tables (users, devices, versions, conflicts, audit); record tables come from sync.records."""
from sqlalchemy import JSON, BigInteger, Boolean, Column, Index, Integer, MetaData, String, Table, Text

metadata = MetaData()

# key/value settings: station_id, device_id (the station's own stamp author), hlc.
setting = Table(
    "station_setting", metadata,
    Column("key", String(40), primary_key=True),
    Column("value", Text, nullable=False))

# grids: the code prefixes this account may see and change (see scope.py).
user = Table(
    "station_user", metadata,
    Column("name", String(50), primary_key=True),
    Column("password_hash", String(200), nullable=False),
    Column("role", String(10), nullable=False),
    Column("grids", JSON, nullable=False),
    Column("disabled", Boolean, nullable=False, default=False),
    Column("created_ms", BigInteger, nullable=False))

# failed logins per attempted name (a name that does not exist is throttled too, so that
# probing for names costs the same as guessing passwords) and source: the id of one of the
# account's own devices, or "*" for every other device (strangers share one count).
login_failure = Table(
    "station_login_failure", metadata,
    Column("name", String(50), primary_key=True),
    Column("source", String(36), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("last_ms", BigInteger, nullable=False),
    Column("locked_until_ms", BigInteger, nullable=False, default=0))

# acked: the highest change sequence of this device the station holds.
# secret_hash: SHA-256 of the secret issued to the data folder that registered the device
# (device ids are public: they are in every stamp); a login or sync file naming the device
# must present it. secret_pending: a secret issued in a sync file's reply, kept in the clear
# and sent again until the folder presents it (a reply left on the USB stick must not lock
# the laptop out); a file from such a device without it is still believed, as before secrets.
# forked_from: the device this one continues (a restored or copied folder).
device = Table(
    "station_device", metadata,
    Column("id", String(36), primary_key=True),
    Column("user_name", String(50), nullable=False, index=True),
    Column("name", String(100), nullable=False, default=""),
    Column("token_hash", String(64), unique=True),
    Column("acked", BigInteger, nullable=False, default=0),
    Column("revoked", Boolean, nullable=False, default=False),
    Column("registered_ms", BigInteger, nullable=False),
    Column("last_push_ms", BigInteger),
    Column("secret_hash", String(64)),
    Column("secret_pending", String(64)),
    Column("forked_from", String(36)))

# A fingerprint of each change the station applied (or skipped) per (device, seq), so a
# "replay" that differs from what the station holds (a laptop restored from a backup
# numbering new changes again from an old sequence) is refused instead of acknowledged.
device_change = Table(
    "station_device_change", metadata,
    Column("device_id", String(36), primary_key=True),
    Column("seq", BigInteger, primary_key=True),
    Column("digest", BigInteger, nullable=False),
    sqlite_with_rowid=False)

# Station sequence per record: bumped whenever the record changes; pull pages by it.
# grid_code is the record's grid (a person's is its household's) for scope filters; a
# pull page is a range of (grid_code, seq) (schema 7).
record_version = Table(
    "record_version", metadata,
    Column("record_type", String(20), primary_key=True),
    Column("record_id", String(40), primary_key=True),
    Column("seq", BigInteger, nullable=False),
    Column("grid_code", String(40)),
    Index("ix_record_version_seq", "seq", unique=True),
    Index("ix_record_version_grid_seq", "grid_code", "seq"))

# One row, the last station sequence handed out; its row lock serialises writers.
counter = Table(
    "station_counter", metadata,
    Column("id", Integer, primary_key=True),
    Column("seq", BigInteger, nullable=False))

# kind: hard (same field, concurrent) | soft (other fields, concurrent) | edit_on_deleted.
# "kept" is what the merge kept, "lost" what it overwrote (or the edit on a deleted record).
conflict = Table(
    "station_conflict", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),
    Column("record_type", String(20), nullable=False),
    Column("record_id", String(40), nullable=False),
    Column("field", String(40), nullable=False),
    Column("kept_value", JSON),
    Column("kept_stamp", String(60)),
    Column("kept_user", String(50)),
    Column("lost_value", JSON),
    Column("lost_stamp", String(60)),
    Column("lost_user", String(50)),
    Column("created_ms", BigInteger, nullable=False),
    Column("resolved_ms", BigInteger),
    Column("resolved_by", String(60)),
    Column("resolution", JSON),
    Column("origin", String(60)),          # forwarded by a lower station: its account, and its own id
    Column("origin_id", BigInteger),
    Index("ix_station_conflict_record", "record_type", "record_id"),
    Index("ix_station_conflict_open", "resolved_ms"),
    Index("ix_station_conflict_origin", "origin", "origin_id", unique=True))

# Every applied change, resolution and admin action: who, from which device, when, what.
audit = Table(
    "station_audit", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at_ms", BigInteger, nullable=False),
    Column("user_name", String(60), nullable=False),
    Column("device_id", String(36)),
    Column("action", String(20), nullable=False),
    Column("record_type", String(20)),
    Column("record_id", String(40)),
    Column("fields", JSON),
    Column("detail", JSON),
    Index("ix_station_audit_record", "record_type", "record_id"))

# Forwarding to the upper station (schema 8). The outbox holds the changes taken for the upper
# station, numbered by this station's own outbound sequence (its upstream device's), each kept
# as sent until acknowledged, so a resend after a crash is the same change (a replay, not a
# divergence). set_aside: the upper station refused it (its code); it goes as a skip marker.
upstream_outbox = Table(
    "station_upstream_outbox", metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False),
    Column("record_type", String(20), nullable=False),
    Column("record_id", String(40), nullable=False),
    Column("change", JSON, nullable=False),
    Column("set_aside", String(40)))

# Station sequences (record_version.seq) that only a pull from the upper station made: the
# taker skips them, so what came down is not sent up again as if new.
upstream_echo = Table(
    "station_upstream_echo", metadata,
    Column("seq", BigInteger, primary_key=True, autoincrement=False))

# Each record's field stamps as the upper station is known to hold them (sent up, or come down):
# a forwarded change's base, by which the upper station tells concurrent edits from ones it holds.
upstream_base = Table(
    "station_upstream_base", metadata,
    Column("record_type", String(20), primary_key=True),
    Column("record_id", String(40), primary_key=True),
    Column("clocks", JSON, nullable=False))

# What this station last told its upper station of each of its conflicts: "open" or "resolved"
# (absent: not yet sent), so each conflict goes up once, and its resolution once.
upstream_conflict = Table(
    "station_upstream_conflict", metadata,
    Column("id", BigInteger, primary_key=True, autoincrement=False),
    Column("told", String(10), nullable=False))

# The devices a lower station (its station account: via) says are below it: its laptops, its own
# stamps, what its lower stations said. Fields they stamped are not sent back down to it.
below = Table(
    "station_below", metadata,
    Column("via", String(50), primary_key=True),
    Column("device_id", String(40), primary_key=True))

# Photo bytes this station has handed to its upper station, by (sha256, grid) as station_photo_blob
# keeps them: each complete photo goes up once, after its record.
upstream_blob = Table(
    "station_upstream_blob", metadata,
    Column("sha256", String(64), primary_key=True),
    Column("grid_code", String(40), primary_key=True),
    Column("sent_ms", BigInteger, nullable=False))
