"""The sensitive key groups (严重精神障碍患者, 刑满释放人员, 吸毒人员): who may see them, and how others see them.

Lists always mask them (one "protected" mark in place of the tags); the full view (a
form, `get`, an export asked for) shows them only to the roles the township's
`sensitive_access` setting allows. A writer who does not see them never removes them:
`keep_hidden` puts the hidden tags back into the tags a form or an import sends.
"""
from __future__ import annotations

from .duty_settings import DEFAULT_SENSITIVE, SENSITIVE_ACCESS
from .records import SENSITIVE_TAGS

MASK = "protected"
TAGGED_TYPES = ("person", "household")


def full_view(role: str | None, view: dict | None) -> bool:
    """True if an account of `role` sees the sensitive groups in full under a unit's settings
    (`view`: UnitSettings.for_grid(...), or None for the defaults). No role is the station's own
    administrator; a laptop that never logged in counts as a worker's."""
    if role == "admin":
        return True
    roles = ((view or {}).get(SENSITIVE_ACCESS) or DEFAULT_SENSITIVE).get("roles", [])
    return (role or "worker") in roles


def is_sensitive(tags) -> bool:
    return any(t in SENSITIVE_TAGS for t in tags or ())


def masked(tags) -> list[str]:
    """Tags as a list shows them: the sensitive ones become one MASK mark."""
    tags = list(tags or ())
    plain = [t for t in tags if t not in SENSITIVE_TAGS]
    return [*plain, MASK] if len(plain) < len(tags) else plain


def visible(tags, allowed: bool) -> list[str]:
    """Tags as the full view shows them to an account that is (or is not) allowed."""
    return list(tags or ()) if allowed else masked(tags)


def keep_hidden(new_tags, old_tags, allowed: bool, may_remove: bool = True) -> list[str]:
    """The tags to store when a writer sends `new_tags` over `old_tags`: one who does not see the
    sensitive groups can neither add nor remove them; an import (`may_remove` False: the sheet may
    be an export that left them out) adds what it names and removes none."""
    new = [t for t in (new_tags or ()) if t != MASK]
    if allowed and may_remove:
        return new
    result = [t for t in new if allowed or t not in SENSITIVE_TAGS]
    result += [t for t in (old_tags or ()) if t in SENSITIVE_TAGS and t not in result]
    return list(old_tags) if old_tags and sorted(result) == sorted(old_tags) else result   # unchanged: no write


def strip(row: dict) -> dict:
    """A record for an export not asked to carry the sensitive groups: without them."""
    tags = row.get("tags")
    if not tags or not is_sensitive(tags):
        return row
    return {**row, "tags": [t for t in tags if t not in SENSITIVE_TAGS]}
