"""The local store: SQLite file, schema migrations, records with their change log, search (no Qt)."""
from .engine import open_store  # noqa: F401
from .repository import Store  # noqa: F401
