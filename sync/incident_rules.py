"""Which step may follow which, and who may take it: the transition rules of a case, pure and shared.

The same table is applied by the desktop service (refusing a step before it is
written), by the station (refusing a step pushed anyway) and by the derivation of
every replica (marking a concurrent step that is illegal once ordered as superseded).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from . import messages, records

LEVELS = records.INCIDENT_LEVELS                       # village -> township -> county -> city
RANK = {level: n for n, level in enumerate(LEVELS)}
ROLE_LEVEL = {"worker": "village", "township": "township", "county": "county"}
CLOSED = "closed"

# status -> {step: the status after it (None: unchanged)}; "" is a case with no step yet.
_ANY_OPEN = {"classify": None, "supervise": None, "escalate": "escalated"}
TRANSITIONS: dict[str, dict[str, str | None]] = {
    "": {"report": "reported"},
    "reported": {**_ANY_OPEN, "register": "registered", "assess": "assessed", "handle": "handling"},
    "registered": {**_ANY_OPEN, "assess": "assessed", "dispatch": "dispatched", "handle": "handling"},
    "assessed": {**_ANY_OPEN, "dispatch": "dispatched", "handle": "handling"},
    "dispatched": {**_ANY_OPEN, "verify": "verified", "handle": "handling", "dispatch": "dispatched"},
    "verified": {**_ANY_OPEN, "handle": "handling", "feedback": "feedback"},
    "handling": {**_ANY_OPEN, "handle": "handling", "feedback": "feedback"},
    "feedback": {**_ANY_OPEN, "close": CLOSED, "handle": "handling"},
    "escalated": {**_ANY_OPEN, "assess": "assessed", "dispatch": "dispatched", "return": "returned",
                  "handle": "handling"},
    "returned": {**_ANY_OPEN, "register": "registered", "dispatch": "dispatched", "verify": "verified",
                 "handle": "handling"},
    CLOSED: {"reopen": "registered"},
}
# Steps the unit holding the case takes (its level or above): the rest any worker on the case may record.
HOLDER_STEPS = ("escalate", "return", "dispatch", "close", "reopen", "supervise")

messages.register({
    "step_first": ("事件的第一步应为“采集上报”。", "A case starts with a report."),
    "step_reported_twice": ("事件已经上报过，不能再次上报。", "The case has already been reported."),
    "step_not_allowed": ("事件当前为“{status}”，不能进行“{step}”。",
                         "The case is {status}: it cannot take the step '{step}' now."),
    "step_level": ("“{step}”须由{level}或更高层级办理。", "'{step}' must be done at {level} level or above."),
    "step_actor_level": ("您的账号属于{actual}层级，不能以{claimed}层级办理。",
                         "Your account is at {actual} level: it cannot act at {claimed} level."),
    "step_top_level": ("事件已在最高层级（市），不能再上报。", "The case is already at the top (city) level."),
    "step_bad_target": ("目标层级“{target}”应高于当前层级“{level}”。",
                        "The target level '{target}' must be above the current level '{level}'."),
    "step_bottom_level": ("事件在村/社区层级，无处可退回。",
                          "The case is at village level: there is nowhere to return it."),
    "step_assignee": ("分办须写明承办单位或人员。", "A dispatch must name the department or person."),
    "step_outcome": ("调解须注明是否成功。", "A mediation must say whether it succeeded."),
    "step_instruction": ("退回须写明办理意见。", "A return must carry an instruction."),
    "step_report_level": ("事件只能上报到村/社区，重大紧急事件可直报县或市。",
                          "A case is reported at village level; "
                          "a major or urgent one may go straight to county or city."),
    "step_wrong_case": ("该环节所属事件或网格与事件不符。", "The step names another case or grid than its case."),
    "step_edited": ("办理环节只能追加，不能修改或删除。", "Steps are append-only: they cannot be changed or deleted."),
    "step_refused": ("{text}", "{text}"),
    "boundary_readonly": ("网格边界由乡镇站统一导入，不能从设备上修改。",
                          "Grid boundaries are imported at the township station and cannot be changed from a "
                          "device."),
    "setting_readonly": ("设置由乡镇站统一管理，不能从设备上修改。",
                         "Settings are managed by the station and cannot be changed from a device."),
})


@dataclass(frozen=True)
class StepRefused(Exception):
    """A step that may not be taken now: a message code and its parameters."""
    code: str
    params: dict = field(default_factory=dict)

    def message(self, lang: str | None = None) -> str:
        """The refusal in `lang`, values shown by their labels in that language."""
        labels = {k: messages.value_label(v or "", lang, *_LABELLED.get(k, (None, None)))
                  for k, v in self.params.items()}
        return messages.render(self.code, lang, **labels)

    def __str__(self) -> str:
        return self.message()


# parameter -> (field, record type) whose labels show it
_LABELLED = {"status": ("status", "incident"), "step": ("step", "incident_event")}


def unit_at(grid_code: str, level: str) -> str:
    """The code of the unit holding a case at `level`: the grid itself at village level."""
    return {"village": grid_code, "township": grid_code[:9], "county": grid_code[:6], "city": grid_code[:4]}[level]


def check(state, event: dict) -> str:
    """Raise StepRefused unless `event` may follow `state` (a sync.incidents.CaseState); return the new status."""
    step, status = event.get("step"), state.status
    allowed = TRANSITIONS.get(status, {})
    if step not in allowed:
        if status == "":
            raise StepRefused("step_first")
        if step == "report":
            raise StepRefused("step_reported_twice")
        raise StepRefused("step_not_allowed", {"status": status, "step": step})
    actor_level = event.get("actor_level") or "village"
    if step in HOLDER_STEPS and RANK.get(actor_level, 0) < RANK[state.level or "village"]:
        raise StepRefused("step_level", {"step": step, "level": state.level})
    _check_fields(state, event, step)
    after = allowed[step]
    return status if after is None else after


def _check_fields(state, event: dict, step: str) -> None:
    target = event.get("target_level")
    if step == "report" and target not in (None, "village", "county", "city"):
        raise StepRefused("step_report_level")
    if step == "escalate":
        if state.level == LEVELS[-1]:
            raise StepRefused("step_top_level")
        if target is not None and RANK.get(target, -1) <= RANK[state.level]:
            raise StepRefused("step_bad_target", {"target": target, "level": state.level})
    if step == "return":
        if state.level == "village":
            raise StepRefused("step_bottom_level")
        if not (event.get("notes") or "").strip():
            raise StepRefused("step_instruction")
    if step == "supervise" and RANK.get(event.get("actor_level") or "village", 0) < RANK["township"]:
        raise StepRefused("step_level", {"step": step, "level": "township"})
    if step == "dispatch" and not (event.get("assignee") or "").strip():
        raise StepRefused("step_assignee")
    if step == "handle" and (event.get("agreement") or event.get("mediation_parties")) and not event.get("outcome"):
        raise StepRefused("step_outcome")


def next_level(state, event: dict) -> str:
    """The level a case goes to when escalated (one up, or the named target: 大事直报)."""
    return event.get("target_level") or LEVELS[RANK[state.level] + 1]


def check_actor(role: str, event: dict) -> None:
    """The station's check that an event's claimed level is not above its author's account."""
    actual = ROLE_LEVEL.get(role, "village")
    claimed = event.get("actor_level") or "village"
    if RANK.get(claimed, 0) > RANK[actual]:
        raise StepRefused("step_actor_level", {"actual": actual, "claimed": claimed})
