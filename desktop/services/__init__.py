"""Use cases shared by the desktop UI and the CLI (no Qt, no SQL)."""
from .ledger import Ledger  # noqa: F401
