"""The contract both sides speak: records, validation, clock, wire protocol, merge (no Qt)."""
