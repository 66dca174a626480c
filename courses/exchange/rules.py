"""Conditions in and out of the course format.

The models keep a rule in disjunctive normal form (rows with an `alternative` number: AND inside
one, OR between them). The file writes one alternative as {"all": [leaf, ...]} and several as
{"any": [{"all": [...]}, ...]}. Leaves: {"after_lesson": [m, l]}, {"after_module": m},
{"quiz_passed": [m, l], "min_percent": 60}, {"from_date": "2025-09-01"},
{"levels": ["starting", ...]}; positions are 0-based.
"""

import datetime
from decimal import Decimal

from django.utils.translation import gettext as _

from courses.models import Condition

K = Condition.Kind


def _leaf_export(condition: Condition, lesson_at: dict, module_at: dict, level_codes) -> dict:
    if condition.kind == K.LESSON_COMPLETED:
        return {"after_lesson": list(lesson_at[condition.required_lesson_id])}
    if condition.kind == K.QUIZ_PASSED:
        leaf = {"quiz_passed": list(lesson_at[condition.required_lesson_id])}
        if condition.min_score is not None:
            leaf["min_percent"] = float(condition.min_score)
        return leaf
    if condition.kind == K.MODULE_COMPLETED:
        return {"after_module": module_at[condition.required_module_id]}
    if condition.kind == K.FROM_DATE:
        return {"from_date": condition.opens_on.isoformat()}
    return {"levels": sorted(level_codes(condition))}


def rule_export(conditions, lesson_at: dict, module_at: dict, level_codes) -> dict | None:
    """The rows of one owner as a rule; None when it is always open."""
    alternatives: dict[int, list] = {}
    for condition in sorted(conditions, key=lambda c: (c.alternative, c.pk)):
        alternatives.setdefault(condition.alternative, []).append(
            _leaf_export(condition, lesson_at, module_at, level_codes)
        )
    if not alternatives:
        return None
    groups = [alternatives[number] for number in sorted(alternatives)]
    if len(groups) == 1:
        return {"all": groups[0]}
    return {"any": [{"all": group} for group in groups]}


def _alternatives(rule, where: str, problems: list[str]) -> list[list[dict]]:
    """The rule as a list of AND-groups of leaves (DNF)."""
    if rule is None:
        return []
    if not isinstance(rule, dict) or not ({"all", "any"} & rule.keys()):
        problems.append(_("%(where)s: conditions must be {\"all\": [...]} or {\"any\": [...]}")
                        % {"where": where})  # fmt: skip
        return []
    if "all" in rule:
        leaves = rule["all"]
        if not isinstance(leaves, list) or any(
            not isinstance(leaf, dict) or "all" in leaf or "any" in leaf for leaf in leaves
        ):
            problems.append(_("%(where)s: “all” must list single conditions") % {"where": where})
            return []
        return [leaves] if leaves else []
    groups = []
    for item in rule["any"] if isinstance(rule["any"], list) else [None]:
        if isinstance(item, dict) and "all" in item and "any" not in item:
            groups.extend(_alternatives(item, where, problems))
        elif isinstance(item, dict) and "any" not in item:
            groups.append([item])
        else:
            problems.append(
                _("%(where)s: “any” must list conditions or “all” groups") % {"where": where}
            )
    return groups


class RuleReader:
    """Turns a rule of the file into unsaved Condition rows, given the created lessons."""

    def __init__(self, lessons: list[list], modules: list, levels: dict):
        self.lessons = lessons  # [module index][lesson index] -> Lesson
        self.modules = modules
        self.levels = levels  # code -> Level

    def _lesson(self, target, where, problems):
        if (
            isinstance(target, list)
            and len(target) == 2
            and all(isinstance(n, int) and n >= 0 for n in target)
            and target[0] < len(self.lessons)
            and target[1] < len(self.lessons[target[0]])
        ):
            return self.lessons[target[0]][target[1]]
        problems.append(
            _("%(where)s: a condition points at a lesson that does not exist: %(target)s")
            % {"where": where, "target": target}
        )
        return None

    def _leaf(self, leaf: dict, where: str, problems: list[str]):
        """(fields for a Condition, level objects) or None."""
        if "after_lesson" in leaf:
            lesson = self._lesson(leaf["after_lesson"], where, problems)
            return lesson and ({"kind": K.LESSON_COMPLETED, "required_lesson": lesson}, [])
        if "quiz_passed" in leaf:
            lesson = self._lesson(leaf["quiz_passed"], where, problems)
            minimum = leaf.get("min_percent")
            if minimum is not None and (
                not isinstance(minimum, int | float) or not 0 <= minimum <= 100
            ):
                problems.append(
                    _("%(where)s: a quiz mark must be a number from 0 to 100") % {"where": where}
                )
                return None
            fields = {"kind": K.QUIZ_PASSED, "required_lesson": lesson}
            if minimum is not None:
                fields["min_score"] = Decimal(str(minimum))
            return lesson and (fields, [])
        if "after_module" in leaf:
            index = leaf["after_module"]
            if not isinstance(index, int) or not 0 <= index < len(self.modules):
                problems.append(
                    _("%(where)s: a condition points at a module that does not exist: %(target)s")
                    % {"where": where, "target": index}
                )
                return None
            return {"kind": K.MODULE_COMPLETED, "required_module": self.modules[index]}, []
        if "from_date" in leaf:
            try:
                day = datetime.date.fromisoformat(str(leaf["from_date"]))
            except ValueError:
                problems.append(
                    _("%(where)s: “%(value)s” is not a date (YYYY-MM-DD)")
                    % {"where": where, "value": leaf["from_date"]}
                )
                return None
            return {"kind": K.FROM_DATE, "opens_on": day}, []
        if "levels" in leaf:
            codes = leaf["levels"] if isinstance(leaf["levels"], list) else [leaf["levels"]]
            unknown = [code for code in codes if code not in self.levels]
            if unknown or not codes:
                problems.append(
                    _("%(where)s: unknown level code “%(code)s”")
                    % {"where": where, "code": ", ".join(map(str, unknown))}
                )
                return None
            return {"kind": K.LEVELS}, [self.levels[code] for code in codes]
        problems.append(
            _("%(where)s: unknown condition %(condition)s") % {"where": where, "condition": leaf}
        )
        return None

    def read(self, rule, owner: dict, where: str, problems: list[str]):
        """[(unsaved Condition, levels)] for `owner` ({"lesson": l} or {"module": m})."""
        rows = []
        for number, group in enumerate(_alternatives(rule, where, problems), start=1):
            for leaf in group:
                read = self._leaf(leaf, where, problems)
                if read is None:
                    continue
                fields, levels = read
                if owner.get("lesson") is not None and fields.get("required_lesson") is owner.get(
                    "lesson"
                ):
                    problems.append(
                        _("%(where)s: a lesson cannot wait for itself") % {"where": where}
                    )
                    continue
                rows.append((Condition(alternative=number, **owner, **fields), levels))
        return rows
