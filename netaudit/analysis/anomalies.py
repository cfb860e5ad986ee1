"""Rule anomalies within one filter: Al-Shaer & Hamed's taxonomy, decided exactly on packet sets.

Findings (``checks/anomalies.py``), as the catalog defines them:

* ``shadowed``: the rule can never match, because earlier rules together take all its packets,
  and at least one of those has the opposite action: its intent is silently overridden.
* ``redundant``: (a) the rule can never match and every earlier rule that takes its packets has
  its own action; or (b) it can match, but a later rule of the same action, itself able to match,
  covers every packet it decides with no rule of the opposite action overlapping those packets in
  between, so removing it changes no decision. The implicit deny never covers anything.

Info facts (for the review outputs, not findings), pairwise with earlier rules of the opposite
action as Al-Shaer defines them: ``partially-shadowed`` (some of its packets are decided by such
rules, not all), ``correlated`` (they overlap and neither contains the other), ``generalization``
(it is a strict superset of such a rule). An explicit catch-all (any source, destination and
service: the written-out default) gets no info facts: it generalizes everything above it by design.

"Can never match" and "decides" are read off the filter's first-match evaluation: the packets a
rule decides are its match minus everything earlier rules match. The rules that may overlap a
rule come from a prefix index (``PrefixIndex``) and each is confirmed by an exact BDD test, so a
20,000-rule filter costs seconds, not 20,000 x 20,000 tests (``benchmarks/README.md``). Inactive
rules take no part.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date
from typing import Literal

from netaudit.headerspace import HeaderSpace, is_catch_all, paused_gc
from netaudit.model import Filter, Rule

__all__ = ["FINDING_KINDS", "INFO_KINDS", "AnomalyKind", "RuleAnomaly", "analyse_filter", "is_catch_all"]

AnomalyKind = Literal["shadowed", "redundant", "partially-shadowed", "correlated", "generalization"]
FINDING_KINDS: tuple[AnomalyKind, ...] = ("shadowed", "redundant")
INFO_KINDS: tuple[AnomalyKind, ...] = ("partially-shadowed", "correlated", "generalization")
_KIND_ORDER = {kind: i for i, kind in enumerate(FINDING_KINDS + INFO_KINDS)}
_OPPOSITE = {"permit": "deny", "deny": "permit"}


@dataclass(slots=True)
class RuleAnomaly:
    """One anomaly of one rule. ``covered_by`` are the related rules, in filter order:

    * shadowed / redundant (a): every earlier rule that decides some of its packets, plus any
      earlier rule that alone contains it (Al-Shaer's pairwise shadowing / redundancy partner);
    * redundant (b) (``by_later``): the later rule that covers it;
    * partially-shadowed: the earlier opposite-action rules that decide some of its packets;
    * correlated / generalization: the earlier opposite-action rules it overlaps / strictly contains.
    """

    rule: Rule
    kind: AnomalyKind
    covered_by: list[Rule]
    by_later: bool = False  # redundant because of a later rule (b), not because it can never match (a)


def analyse_filter(space: HeaderSpace, acl: Filter, as_of: date | None) -> list[RuleAnomaly]:
    """Every anomaly of the filter's active rules, in rule order."""
    with paused_gc():
        return _FilterAnalysis(space, acl, as_of).run()


class _FilterAnalysis:
    """One filter's analysis; rules are referred to by position among the active rules."""

    def __init__(self, space: HeaderSpace, acl: Filter, as_of: date | None) -> None:
        self.evaluation = evaluation = space.evaluate(acl, as_of)
        self.rules = [rule for rule, _ in evaluation.decided]
        self.earlier = evaluation.earlier  # per rule: the earlier rules whose match meets its own
        self.later = evaluation.later
        self.found: dict[int, list[RuleAnomaly]] = defaultdict(list)

    def run(self) -> list[RuleAnomaly]:
        for i in range(len(self.rules)):
            if self.evaluation.matches_anything(i):  # an empty match (undefined objects, any4 to any6) is undefined-reference's
                self._against_earlier(i)
                self._against_later(i)
        return [a for i in sorted(self.found) for a in sorted(self.found[i], key=lambda a: _KIND_ORDER[a.kind])]

    def _add(self, i: int, kind: AnomalyKind, positions: list[int], by_later: bool = False) -> None:
        self.found[i].append(RuleAnomaly(self.rules[i], kind, [self.rules[k] for k in sorted(positions)], by_later))

    def _decides_part_of(self, k: int, i: int) -> bool:
        """Whether rule k decides some of rule i's match (k overlaps i)."""
        if not self.earlier[k]:  # nothing before k overlaps it: it decides its whole match
            return True
        return self.evaluation.decides_part_of(k, i)

    # ------------------------------------------------------------------ earlier rules

    def _against_earlier(self, i: int) -> None:
        if not self.earlier[i]:
            return  # overlaps nothing earlier: no relation to report
        rule = self.rules[i]
        catch_all = is_catch_all(rule)
        opposite = [k for k in self.earlier[i] if self.rules[k].action != rule.action]
        if not self.evaluation.can_match(i):
            self._never_matches(i, opposite)
        elif not catch_all:
            partial = [k for k in opposite if self._decides_part_of(k, i)]
            if partial:
                self._add(i, "partially-shadowed", partial)
        if not catch_all:
            self._pairwise(i, opposite)

    def _never_matches(self, i: int, opposite: list[int]) -> None:
        """Shadowed or redundant (a): name the rules that take its packets, in order."""
        rule = self.rules[i]
        deciders = [k for k in self.earlier[i] if self._decides_part_of(k, i)]
        if any(self.rules[k].action != rule.action for k in deciders):
            kind: AnomalyKind = "shadowed"
            partners = opposite
        else:
            kind = "redundant"
            partners = [k for k in self.earlier[i] if self.rules[k].action == rule.action]
        alone = [k for k in partners if self.evaluation.match_within(i, k)]
        self._add(i, kind, sorted(set(deciders) | set(alone)))

    def _pairwise(self, i: int, opposite: list[int]) -> None:
        """Al-Shaer's pairwise relations with earlier rules of the opposite action."""
        within = self.evaluation.match_within
        generalizes, correlated = [], []
        for k in opposite:
            inside, contains = within(k, i), within(i, k)
            if inside and not contains:
                generalizes.append(k)
            elif not inside and not contains:
                correlated.append(k)
        if correlated:
            self._add(i, "correlated", correlated)
        if generalizes:
            self._add(i, "generalization", generalizes)

    # ------------------------------------------------------------------ later rules

    def _against_later(self, i: int) -> None:
        """Redundant (b): the first later rule of the same action that can match and covers what
        rule i decides, with no rule of the opposite action meeting those packets before it."""
        rule, evaluation = self.rules[i], self.evaluation
        if not self.later[i] or not evaluation.can_match(i):
            return
        same = [j for j in self.later[i] if self.rules[j].action == rule.action]
        cover = evaluation.first_within(i, same)
        while cover is not None and not evaluation.can_match(cover):  # a cover must itself be able to match
            cover = evaluation.first_within(i, same[same.index(cover) + 1:])
        if cover is None:
            return
        whole = not self.earlier[i]  # it decides its whole match, which every later rule listed meets
        for j in self.later[i]:
            if j >= cover:
                break
            if self.rules[j].action != rule.action and (whole or evaluation.decides_part_of(i, j)):
                return  # a conflicting rule in between: removing rule i would change its decision
        self._add(i, "redundant", [cover], by_later=True)
