"""JUnit XML (``--format junit``): one test case per check and device, for CI test dashboards.

CI systems without SARIF support (GitLab's test report, Jenkins, Azure DevOps) still show JUnit
results per merge request. A check is a test that a device passes or fails, so every catalog check
is a ``<testcase classname="<device>" name="<check id>">`` on every device: the dashboard then shows
what was checked and passed, not only what failed. Every unwaived finding is a failure (the
``--fail-on`` threshold decides the exit code, not the report); waived ones are listed in
``<system-out>``; checks this build does not assess, or that the policy pack disables, are skipped.
Findings that belong to no device (the topology file's, the waiver register's) get a suite of their
own, and a config that could not be read is an error.

The XML is built with ElementTree, which escapes whatever the configs contain.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from dataclasses import dataclass, field

from netaudit.checks.registry import NOT_YET_ASSESSED, REGISTRY, SPECIAL_IDS
from netaudit.findings import SEVERITY_RANK, Finding
from netaudit.pipeline import AuditResult, NotAssessed
from netaudit.policy import PolicyPack

# Device names never contain parentheses (IOS, NX-OS and ASA hostnames are letters, digits and
# hyphens), so these pseudo-devices cannot collide with a real one.
NETWORK_SUITE = "(network)"  # the topology file and the waiver register: the network as a whole
NOT_ASSESSED_SUITE = "(not assessed)"

# XML 1.0 forbids most C0 controls even as character references, and ElementTree writes them
# as they are; a banner's ETX (\x03) in the evidence would make the whole report unreadable.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")

_LABELS = {
    "en": {
        "not_assessed": "not assessed in this version", "disabled": "disabled in the policy pack",
        "findings": "findings", "waived": "waived", "waiver": "waiver", "no_line": "no line",
        "ticket": "ticket", "approved_by": "approved by", "expires": "expires",
        "unreadable": "file not assessed",
        "needs_hits": "not assessed: needs hit counts (--hits)", "needs_topology": "not assessed: needs a topology file (--topology)",
    },
    "zh-TW": {
        "not_assessed": "此版本尚未評估", "disabled": "政策檔已停用此檢查",
        "findings": "項發現", "waived": "已豁免", "waiver": "豁免", "no_line": "無對應行",
        "ticket": "單號", "approved_by": "核准", "expires": "到期",
        "unreadable": "檔案未能評估",
        "needs_hits": "未評估：需提供命中次數（--hits）", "needs_topology": "未評估：需提供拓撲檔（--topology）",
    },
}


@dataclass(slots=True)
class _Case:
    """One check on one device: its unwaived findings (failures) and waived ones (output)."""

    device: str
    check: str
    failures: list[Finding] = field(default_factory=list)
    waived: list[Finding] = field(default_factory=list)


def render(result: AuditResult, lang: str) -> str:
    root = document(result, lang)
    ET.indent(root)
    return ET.tostring(root, encoding="unicode", xml_declaration=True) + "\n"


def document(result: AuditResult, lang: str) -> ET.Element:
    """``<testsuites>`` with a suite per device, one for the network as a whole, one for unread files."""
    by_device = _findings_by_device_and_check(result.findings)
    catalog = device_check_ids(result.pack)
    missing = {check: need for check in REGISTRY if (need := result.missing_input(check))}
    suites = [_suite(device.name, catalog, by_device.get(device.name, {}), result.pack, lang, missing)
              for device in sorted(result.devices, key=lambda d: (d.name, d.file))]
    network = by_device.get(NETWORK_SUITE, {})
    suites.append(_suite(NETWORK_SUITE, network_check_ids(network), network, result.pack, lang, missing))
    if result.not_assessed:
        suites.append(_not_assessed_suite(result.not_assessed, lang))
    root = ET.Element("testsuites", name="netaudit")
    _set_counts(root, suites)
    root.extend(suites)
    return root


def device_check_ids(pack: PolicyPack) -> list[str]:
    """Every check a device is tested against: the registry, and the catalog's per-device ids this
    build does not assess yet (skipped, so the dashboard shows the gap instead of hiding it)."""
    return sorted(set(REGISTRY) | ((NOT_YET_ASSESSED & set(pack.checks)) - set(SPECIAL_IDS)))


def network_check_ids(findings: dict[str, list[Finding]]) -> list[str]:
    """The checks about the network as a whole: those that read the topology, the waiver register's
    special ids, and any other check that reported something on no device."""
    topology = {spec.id for spec in REGISTRY.values() if spec.needs == "topology"}
    return sorted(topology | set(SPECIAL_IDS) | set(findings))


def _findings_by_device_and_check(findings: list[Finding]) -> dict[str, dict[str, list[Finding]]]:
    grouped: dict[str, dict[str, list[Finding]]] = defaultdict(lambda: defaultdict(list))
    for finding in sorted(findings, key=Finding.sort_key):
        grouped[finding.device or NETWORK_SUITE][finding.check].append(finding)
    return grouped


def _suite(name: str, check_ids: list[str], findings: dict[str, list[Finding]], pack: PolicyPack, lang: str,
           missing: dict[str, str]) -> ET.Element:
    # A check that reported something is a real test case even if the catalog lists it elsewhere.
    ids = sorted(set(check_ids) | set(findings))
    cases = [_testcase(_case(name, check_id, findings.get(check_id, [])), pack, lang, missing.get(check_id)) for check_id in ids]
    suite = ET.Element("testsuite", name=name)
    _set_counts(suite, cases)
    suite.extend(cases)
    return suite


def _case(device: str, check: str, findings: list[Finding]) -> _Case:
    case = _Case(device, check)
    for finding in findings:
        (case.waived if finding.waived else case.failures).append(finding)
    return case


def _testcase(case: _Case, pack: PolicyPack, lang: str, missing: str | None) -> ET.Element:
    element = ET.Element("testcase", classname=xml_safe(case.device), name=xml_safe(case.check))
    skip_reason = _skip_reason(case, pack, lang, missing)
    if case.failures:
        element.append(_failure(case.failures, lang))
    elif skip_reason:
        ET.SubElement(element, "skipped", message=skip_reason)
    if case.waived:
        output = ET.SubElement(element, "system-out")
        output.text = xml_safe("\n\n".join(_waived_text(f, lang) for f in case.waived))
    return element


def _skip_reason(case: _Case, pack: PolicyPack, lang: str, missing: str | None) -> str | None:
    if case.failures or case.waived:
        return None
    if case.check in NOT_YET_ASSESSED:
        return _LABELS[lang]["not_assessed"]
    if missing is not None:  # e.g. unused-rule without --hits: not assessed, not passed
        return _LABELS[lang][f"needs_{missing}"]
    policy = pack.checks.get(case.check)
    if policy is not None and not policy.enabled:
        return _LABELS[lang]["disabled"]
    return None


def _failure(findings: list[Finding], lang: str) -> ET.Element:
    """One ``<failure>`` per test case (JUnit readers show only the first): the most severe
    finding's severity as its type, a one-line message, and every finding in the text."""
    worst = max(findings, key=lambda f: SEVERITY_RANK[f.severity])
    if len(findings) == 1:
        message = _message(worst, lang)
    else:
        message = f"{len(findings)} {_LABELS[lang]['findings']}: {_message(worst, lang)}"
    failure = ET.Element("failure", type=worst.severity, message=xml_safe(message))
    failure.text = xml_safe("\n\n".join(_finding_text(f, lang) for f in findings))
    return failure


def _finding_text(finding: Finding, lang: str) -> str:
    where = f"{finding.file}:{finding.line}" if finding.line else f"{finding.file or '-'} ({_LABELS[lang]['no_line']})"
    lines = [f"[{finding.severity}] {where} (id {finding.id})", _message(finding, lang)]
    lines += [f"    {line}" for line in finding.evidence]
    return "\n".join(lines)


def _waived_text(finding: Finding, lang: str) -> str:
    """The finding, then who accepted it, why, until when, and where the waiver is written."""
    waiver = finding.waiver or {}
    record = "; ".join(f"{_LABELS[lang][key]} {waiver[key]}" for key in ("ticket", "approved_by", "expires") if waiver.get(key))
    where = f" — {waiver['file']}:{waiver['line']}" if waiver.get("file") and waiver.get("line") else ""
    reason = f"{waiver.get('reason', '')} ({record})" if record else str(waiver.get("reason", ""))
    return f"[{_LABELS[lang]['waived']}] {_finding_text(finding, lang)}\n{_LABELS[lang]['waiver']}: {reason}{where}"


def _message(finding: Finding, lang: str) -> str:
    return finding.message.get(lang) or finding.message.get("en", "") or finding.check


def _not_assessed_suite(failures: list[NotAssessed], lang: str) -> ET.Element:
    """An unreadable config is an error, not a pass: nothing on that device was checked."""
    cases = []
    for failure in sorted(failures, key=lambda n: (n.file, n.line or 0, n.reason)):
        case = ET.Element("testcase", classname=xml_safe(failure.file), name=_LABELS[lang]["unreadable"])
        ET.SubElement(case, "error", type="not-assessed", message=xml_safe(failure.reason)).text = xml_safe(str(failure))
        cases.append(case)
    suite = ET.Element("testsuite", name=NOT_ASSESSED_SUITE)
    _set_counts(suite, cases)
    suite.extend(cases)
    return suite


def xml_safe(text: str) -> str:
    """The text with characters XML 1.0 cannot carry replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def _set_counts(element: ET.Element, children: list[ET.Element]) -> None:
    """tests/failures/errors/skipped, summed over test cases (or over suites, for the root)."""
    if element.tag == "testsuites":
        totals = {key: sum(int(child.get(key, "0")) for child in children) for key in ("tests", "failures", "errors", "skipped")}
    else:
        totals = {
            "tests": len(children),
            "failures": sum(1 for c in children if c.find("failure") is not None),
            "errors": sum(1 for c in children if c.find("error") is not None),
            "skipped": sum(1 for c in children if c.find("skipped") is not None),
        }
    for key, value in totals.items():
        element.set(key, str(value))
