"""The station's second check of case steps in a push batch: append-only, the author's level, legal transitions.

Called once per batch from push.apply_batch after the ordinary merge; a batch with
no step in it costs one scan of its changes. A step is checked against exactly the
history its author had (the event's `prior` ids), so two devices' offline steps
both pass here; which of them survives once ordered is the derivation's business.
"""
from __future__ import annotations

from sqlalchemy import Connection

from sync import incident_rules as rules
from sync import incidents, records
from sync.validation import FieldError

from .auth import Caller
from .batch_merge import BatchMerge, Refusal
from .push_wire import WireChange as Change
from .writer import fetch_rows

READONLY_TYPES = ("setting", "grid_boundary")        # the station's own: devices never push them


def _refusal(refused: rules.StepRefused, lang: str | None, field: str = "step") -> Refusal:
    return Refusal(422, "invalid", [FieldError(field, "step_refused", {"text": refused.message(lang)})])


def refusals(conn: Connection, caller: Caller, merge: BatchMerge, changes: list[Change],
             skip: set[int], lang: str | None = None) -> list[tuple[int, Refusal]]:
    """(seq, Refusal) for each step or setting change of the batch the station will not take."""
    out: list[tuple[int, Refusal]] = []
    steps = []
    for c in changes:
        if c.seq in skip:
            continue
        if c.type in READONLY_TYPES:
            out.append((c.seq, Refusal(422, "setting_readonly" if c.type == "setting" else "boundary_readonly", [])))
        elif c.type == "incident_event":
            steps.append(c)
    if not steps:
        return out
    stored = fetch_rows(conn, "incident_event", [c.id for c in steps])
    wanted = {p for c in steps for p in (c.f.get("prior") or []) if isinstance(p, str)}
    known = fetch_rows(conn, "incident_event", wanted - set(merge.rows["incident_event"]))
    known.update({i: r for i, r in merge.rows["incident_event"].items() if r})
    cases = {c.f.get("incident_id") or (stored.get(c.id) or {}).get("incident_id") for c in steps}
    cases = {i for i in cases if isinstance(i, str)}
    found = fetch_rows(conn, "incident", cases - set(merge.rows["incident"]))
    found.update({i: r for i, r in merge.rows["incident"].items() if r and i in cases})
    for c in steps:
        try:
            _check(caller, c, stored.get(c.id), known, found)
        except rules.StepRefused as refused:
            out.append((c.seq, _refusal(refused, lang)))
    return out


def _acting_role(caller: Caller) -> str:
    """A lower station forwards steps its own accounts took, up to its own level (its scope's):
    a township station's account (a 9-digit code) may bring township steps, a county's county ones."""
    if caller.role != "station":
        return caller.role
    return "township" if any(len(code) > 6 for code in caller.grids) else "county"


def _check(caller: Caller, c: Change, stored: dict | None, known: dict, cases: dict) -> None:
    if stored is not None:          # append-only: a resend of the same step is fine, an edit is not
        if c.op == "delete" or any(stored.get(k) != v for k, v in c.f.items() if k in records.fields_of(c.type)):
            raise rules.StepRefused("step_edited")
        return
    if c.op == "delete":
        raise rules.StepRefused("step_edited")
    event = c.f
    case = cases.get(event.get("incident_id"))
    if case is None or case.get("grid_code") != event.get("grid_code"):
        raise rules.StepRefused("step_wrong_case")
    rules.check_actor(_acting_role(caller), event)
    history = [known[i] for i in event.get("prior") or [] if i in known
               and known[i].get("incident_id") == event.get("incident_id")]
    state = incidents.state_of(case, history, fallback=False)
    rules.check(state, event)
