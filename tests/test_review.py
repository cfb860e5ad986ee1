"""`netaudit review`: the workbook of the sample network opens, every rule of every packet filter is
a row carrying exactly the audit's findings, the sheets are usable (validation, frozen header,
filters, widths), no cell is a formula or a secret, and `--previous` carries decisions forward."""

from __future__ import annotations

import csv
import html
import io
import json
import os
from datetime import date
from pathlib import Path

import pytest
from openpyxl import load_workbook

from netaudit.cli import main
from netaudit.pipeline import AuditResult, run_audit
from netaudit.report import json_report
from netaudit.review import build_review, read_previous, write_review
from netaudit.review.columns import COLUMNS
from netaudit.review.csv_writer import render_csv
from netaudit.review.html_writer import render_html
from netaudit.review.rows import FLAG_COLUMNS
from netaudit.review.xlsx import set_cell

ROOT = Path(__file__).resolve().parents[1]
AS_OF = date(2026, 11, 24)
HEADER = {c.key: c.en for c in COLUMNS}


@pytest.fixture(scope="module")
def result() -> AuditResult:
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return run_audit(["sample_configs"], "topology/network.yaml", as_of=AS_OF, hits_dir="sample_hits")
    finally:
        os.chdir(cwd)


@pytest.fixture(scope="module")
def workbook(result: AuditResult, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("review") / "review.xlsx"
    write_review(build_review(result, "en", ["sample_configs"]), "xlsx", str(path))
    return path


def _sheet_rows(ws) -> list[dict[str, object]]:  # type: ignore[no-untyped-def]
    header = [c.value for c in ws[1]]
    return [dict(zip(header, row, strict=False)) for row in ws.iter_rows(min_row=2, values_only=True)]


def test_every_rule_of_every_filter_is_a_row_with_the_audit_flags(result: AuditResult, workbook: Path) -> None:
    book = load_workbook(workbook)
    rows: dict[tuple[str, int], dict[str, object]] = {}
    for ws in book.worksheets[1:]:
        if ws.sheet_state == "hidden":
            continue
        for row in _sheet_rows(ws):
            rows[(str(row["device"]), int(row[HEADER["line"]]))] = row  # type: ignore[arg-type]
    expected = {(d.name, r.ref.line) for d in result.devices for acl in d.filters.values() if acl.is_packet_filter for r in acl.rules}
    assert set(rows) == expected
    # Cross-check with the JSON findings document: every rule finding is a flag, every flag a finding.
    document = json.loads(json_report.render(result, "en"))
    findings = {(f["device"], f["line"], f["check"]) for f in document["findings"] if f["check"] in FLAG_COLUMNS}
    assert {c for _, _, c in findings} == set(FLAG_COLUMNS)  # the sample (with hits) raises every rule check
    flagged = {(device, line, check) for (device, line), row in rows.items()
               for check, column in FLAG_COLUMNS.items() if row[HEADER[column]] not in (None, "")}
    assert flagged == findings
    # Order within a sheet is the filter's order.
    ws = book["fw-internal CORE_IN"]
    lines = [row[HEADER["line"]] for row in _sheet_rows(ws)]
    assert lines == sorted(lines) and lines


def test_spot_rows(workbook: Path) -> None:
    book = load_workbook(workbook)
    core = {row[HEADER["line"]]: row for row in _sheet_rows(book["fw-internal CORE_IN"])}
    smb = next(r for r in core.values() if "eq 445" in str(r[HEADER["rule"]]))
    assert smb[HEADER["expired"]] == "2025-06-30" and smb[HEADER["ticket"]] == "CHG-2024-0233"
    assert str(smb[HEADER["unused"]]).startswith("0 in 423 days") and smb[HEADER["hits"]] == 0
    assert "oa → prod-ap" in str(smb[HEADER["zones"]])
    ap = _sheet_rows(book["fw-internal PROD_AP_IN"])
    redundant = next(r for r in ap if "eq sqlnet" in str(r[HEADER["rule"]]) and "host 10.10.20.21" in str(r[HEADER["rule"]]))
    assert redundant[HEADER["redundant_with"]]
    web = _sheet_rows(book["fw-internal PROD_WEB_IN"])
    assert all(not r[HEADER["unused"]] for r in web)  # counters cleared a month ago: not enough to call a rule unused
    summary = [row for row in book.worksheets[0].iter_rows(values_only=True) if row and row[0] == "fw-edge"]
    assert summary and "199 days" in str(summary[0][-1])


def test_sheets_are_ready_for_the_reviewer(workbook: Path) -> None:
    book = load_workbook(workbook)
    ws = book["fw-edge OUTSIDE_IN"]
    assert ws.freeze_panes == "D2"
    assert ws.auto_filter.ref and ws.auto_filter.ref.startswith("A1:")
    decision_col = next(c.column_letter for c in ws[1] if c.value == HEADER["decision"])
    validations = ws.data_validations.dataValidation
    assert any(v.type == "list" and v.formula1 == '"keep,modify,remove"' and f"{decision_col}2" in str(v.sqref) for v in validations)
    rule_col = next(c.column_letter for c in ws[1] if c.value == HEADER["rule"])
    assert 30 <= ws.column_dimensions[rule_col].width <= 62
    rule_id_col = next(c.column_letter for c in ws[1] if c.value == HEADER["rule_id"])
    assert ws.column_dimensions[rule_id_col].hidden
    for sheet in book.worksheets:
        assert len(sheet.title) <= 31


# ---- formula injection and secrets, in every format

HOSTILE = """hostname rtr-evil
!
ip access-list extended ACL-IN
 remark =HYPERLINK("http://evil.example/","click") key S3cretValue99
 10 permit tcp any host 192.0.2.10 eq 443
 remark @SUM(1+1) <script>alert(1)</script>
 20 permit tcp any host 192.0.2.11 eq 22
 remark -2+3
 30 deny ip any any log
!
interface GigabitEthernet0/0
 ip address 192.0.2.1 255.255.255.0
 ip access-group ACL-IN in
!
end
"""


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("hostile")
    (folder / "rtr-evil.cfg").write_text(HOSTILE, encoding="utf-8")
    return folder, build_review(run_audit([str(folder)], as_of=AS_OF), "en", [str(folder)])


def test_no_formula_in_the_workbook(hostile, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    _, review = hostile
    path = tmp_path / "r.xlsx"
    write_review(review, "xlsx", str(path))
    ws = load_workbook(path)["rtr-evil ACL-IN"]
    remarks = [c for c in ws[next(c.column_letter for c in ws[1] if c.value == HEADER["remark"])][1:] if c.value]
    assert [c.value[0] for c in remarks] == ["=", "@", "-"]
    assert all(c.data_type == "s" for c in remarks)
    for sheet in load_workbook(path).worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
                assert "S3cretValue99" not in str(cell.value or "")


def test_no_formula_in_the_csv_and_escaped_html(hostile) -> None:  # type: ignore[no-untyped-def]
    _, review = hostile
    text = render_csv(review)
    assert "S3cretValue99" not in text
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert not [c for c in cells if c[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert "'=HYPERLINK" in text and "'@SUM" in text and "'-2+3" in text
    page = render_html(review)
    assert "S3cretValue99" not in page and "<script>" not in page and "&lt;script&gt;" in page
    assert "default-src 'none'" in html.unescape(page)  # the attribute, as the browser reads it


def test_csv_and_html_have_the_same_rows(result: AuditResult) -> None:
    review = build_review(result, "zh-TW", ["sample_configs"])
    rows = list(csv.reader(io.StringIO(render_csv(review))))
    assert len(rows) - 1 == len(review.rows)
    assert rows[0][:3] == ["設備", "規則清單", "行號"]
    page = render_html(review)
    assert page.count("<tr>") == len(review.rows) + len(review.sheets) + len(review.summaries) + 1


# ---- --previous: decisions carried forward for unchanged rules; changed rules marked


def test_previous_round_trip(tmp_path: Path) -> None:
    configs = tmp_path / "configs"
    configs.mkdir()
    config = ROOT / "sample_configs" / "fw-internal.cfg"
    (configs / "fw-internal.cfg").write_text(config.read_text(encoding="utf-8"), encoding="utf-8")
    first = tmp_path / "q3.xlsx"
    write_review(build_review(run_audit([str(configs)], as_of=date(2026, 9, 30)), "en", [str(configs)]), "xlsx", str(first))
    book = load_workbook(first)
    ws = book["fw-internal CORE_IN"]
    header = {c.value: c.column for c in ws[1]}
    rules = {}
    for row, decision in zip(range(2, 5), ("keep", "modify", "remove"), strict=True):
        ws.cell(row=row, column=header[HEADER["decision"]], value=decision)
        set_cell(ws.cell(row=row, column=header[HEADER["justification"]]), f"=reason {decision}")  # typed as '=reason: text
        ws.cell(row=row, column=header[HEADER["reviewer"]], value="lin.yh")
        ws.cell(row=row, column=header[HEADER["review_date"]], value=date(2026, 10, 5))
        rules[decision] = ws.cell(row=row, column=header[HEADER["rule"]]).value
    book.save(first)
    # Next quarter: the group of the 'keep' rule gains a member, the 'modify' rule is edited, the 'remove' rule stays.
    text = (configs / "fw-internal.cfg").read_text(encoding="utf-8")
    assert "object-group PROD_ALL_NETS" in rules["keep"] and rules["modify"] in text
    text = text.replace("object-group network PROD_ALL_NETS\n", "object-group network PROD_ALL_NETS\n network-object host 10.10.50.9\n")
    text = text.replace(rules["modify"] + "\n", rules["modify"] + " log\n")
    (configs / "fw-internal.cfg").write_text(text, encoding="utf-8")
    previous = read_previous(str(first))
    assert previous.as_of == date(2026, 9, 30)
    review = build_review(run_audit([str(configs)], as_of=date(2026, 12, 31)), "en", [str(configs)], previous=previous)
    by_rule = {row.rule: row for row in review.rows}
    removed = by_rule[rules["remove"]]
    assert (removed.change, removed.decision, removed.justification, removed.reviewer, removed.review_date) == \
        ("unchanged", "remove", "=reason remove", "lin.yh", "2026-10-05")
    regrouped = by_rule[rules["keep"]]
    assert (regrouped.change, regrouped.previous_decision, regrouped.decision) == ("changed (objects)", "keep", "")
    edited = by_rule[rules["modify"] + " log"]
    assert edited.change == "new" and edited.decision == ""  # ASA rules have no number to tie an edit to
    assert [(r["rule"], r["decision"]) for r in review.removed] == [(rules["modify"], "modify")]
    changed = {row.rule for row in review.rows if row.change != "unchanged"}
    assert changed == {row.rule for row in review.rows if "PROD_ALL_NETS" in row.rule} | {rules["modify"] + " log"}
    assert review.period_start == date(2026, 10, 1)
    # and the carried decisions survive the next round trip through the workbook, still as text
    second = tmp_path / "q4.xlsx"
    write_review(review, "xlsx", str(second))
    again = read_previous(str(second))
    assert any(r.decision == "remove" and r.justification == "=reason remove" for r in again.rows.values())
    cells = [c for row in load_workbook(second)["fw-internal CORE_IN"].iter_rows() for c in row if c.value == "=reason remove"]
    assert cells and all(c.data_type == "s" for c in cells)


def test_review_cli(tmp_path: Path) -> None:
    out = tmp_path / "review.csv"
    code = main(["review", str(ROOT / "sample_configs"), "--topology", str(ROOT / "topology" / "network.yaml"),
                 "--hits", str(ROOT / "sample_hits"), "--as-of", "2026-11-24", "--format", "csv", "--output", str(out),
                 "--lang", "en", "--no-cache"])
    assert code == 0
    assert out.read_bytes().startswith(b"\xef\xbb\xbf")  # BOM: Excel reads the UTF-8
    assert main(["review", str(ROOT / "sample_configs"), "--output", str(out), "--previous", str(tmp_path / "missing.xlsx")]) == 2


# ---- --previous: what identifies a rule (object-groups past the cell's cut, identical rules, resequencing)


def _asa(acl: str, groups: str = "") -> str:
    return ("ASA Version 9.12(4)\n!\nhostname fw-test\n!\ninterface GigabitEthernet0/0\n nameif outside\n security-level 0\n"
            f" ip address 192.0.2.1 255.255.255.0\n!\n{groups}{acl}access-group IN in interface outside\n: end\n")


def _ios(acl: str) -> str:
    return (f"hostname rtr-test\n!\nip access-list extended ACL-IN\n{acl}!\ninterface GigabitEthernet0/0\n"
            " ip address 192.0.2.1 255.255.255.0\n ip access-group ACL-IN in\n!\nend\n")


def _review_of(folder: Path, config: str, as_of: date, previous=None, lang: str = "en"):  # type: ignore[no-untyped-def]
    folder.mkdir(exist_ok=True)
    (folder / "device.cfg").write_text(config, encoding="utf-8")
    return build_review(run_audit([str(folder)], as_of=as_of), lang, [str(folder)], previous=previous)


def _decide(review, path: Path, decisions: list[str]) -> None:  # type: ignore[no-untyped-def]
    """Write ``review`` as xlsx with the reviewer's decisions typed in, rule by rule."""
    write_review(review, "xlsx", str(path))
    book = load_workbook(path)
    ws = next(s for s in book.worksheets[1:] if s.sheet_state != "hidden")
    column = next(c.column for c in ws[1] if c.value == HEADER["decision"])
    for row, decision in enumerate(decisions, 2):
        ws.cell(row=row, column=column, value=decision)
    book.save(path)


def test_a_member_changed_past_the_cell_cut_is_a_change(tmp_path: Path) -> None:
    hosts = [f"10.1.{i}.7" for i in range(250)]
    group = "object-group network BIG\n" + "".join(f" network-object host {h}\n" for h in hosts)
    acl = "access-list IN extended permit tcp object-group BIG host 192.0.2.10 eq 443\naccess-list IN extended deny ip any any\n"
    first = _review_of(tmp_path / "c", _asa(acl, group), date(2026, 9, 30))
    assert "more)" in first.rows[0].source_expanded and hosts[-1] not in first.rows[0].source_expanded
    _decide(first, tmp_path / "q3.xlsx", ["keep", "keep"])
    edited = group.replace(f"host {hosts[-1]}\n", "host 10.1.249.8\n")
    review = _review_of(tmp_path / "c", _asa(acl, edited), date(2026, 12, 31), read_previous(str(tmp_path / "q3.xlsx")))
    assert review.rows[0].source_expanded == first.rows[0].source_expanded  # the cell cannot show it
    assert (review.rows[0].change, review.rows[0].previous_decision, review.rows[0].decision) == ("changed (objects)", "keep", "")
    assert (review.rows[1].change, review.rows[1].decision) == ("unchanged", "keep")


def test_identical_rules_keep_their_own_decisions(tmp_path: Path) -> None:
    acl = ("access-list IN extended permit tcp any host 192.0.2.10 eq 443\naccess-list IN extended permit tcp any host 192.0.2.10 eq 443\n"
           "access-list IN extended deny ip any any\n")
    first = _review_of(tmp_path / "c", _asa(acl), date(2026, 9, 30))
    assert len({row.rule_id for row in first.rows}) == 3
    _decide(first, tmp_path / "q3.xlsx", ["keep", "remove", "keep"])
    previous = read_previous(str(tmp_path / "q3.xlsx"))
    assert len(previous.rows) == 3
    review = _review_of(tmp_path / "c", _asa(acl), date(2026, 12, 31), previous)
    assert [(row.change, row.decision) for row in review.rows] == [("unchanged", "keep"), ("unchanged", "remove"), ("unchanged", "keep")]
    assert review.removed == []


def test_a_workbook_with_colliding_ids_loses_no_row(tmp_path: Path) -> None:
    """An older netaudit gave identical rules one id: both rows are read, the second under its occurrence's id."""
    path = tmp_path / "old.csv"
    header = [HEADER[k] for k in ("rule", "decision", "rule_id", "content")]
    lines = [["device", "filter", *header], ["fw", "IN", "permit ip any any", "keep", "abc", "c"], ["fw", "IN", "permit ip any any", "remove", "abc", "c"]]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(lines)
    assert sorted(row.decision for row in read_previous(str(path)).rows.values()) == ["keep", "remove"]


def test_a_resequenced_acl_keeps_every_decision(tmp_path: Path) -> None:
    before = " 10 permit tcp any host 192.0.2.10 eq 22\n 15 permit tcp any host 192.0.2.10 eq 443\n 20 deny ip any any\n"
    after = " 10 permit tcp any host 192.0.2.10 eq 22\n 20 permit tcp any host 192.0.2.10 eq 443\n 30 deny ip any any\n"
    first = _review_of(tmp_path / "c", _ios(before), date(2026, 9, 30))
    _decide(first, tmp_path / "q3.xlsx", ["modify", "remove", "keep"])
    review = _review_of(tmp_path / "c", _ios(after), date(2026, 12, 31), read_previous(str(tmp_path / "q3.xlsx")))
    assert [(row.name, row.change, row.decision) for row in review.rows] == \
        [("10", "unchanged", "modify"), ("20", "unchanged", "remove"), ("30", "unchanged", "keep")]
    assert review.removed == []


def test_an_edit_is_tied_by_number_only_when_action_and_protocol_agree(tmp_path: Path) -> None:
    before = " 10 permit tcp any host 192.0.2.10 eq 22\n 20 permit udp any host 192.0.2.10 eq 53\n 30 deny ip any any\n"
    after = " 10 permit tcp any host 192.0.2.11 eq 22\n 20 deny udp any host 192.0.2.10 eq 53\n 30 deny ip any any\n"
    first = _review_of(tmp_path / "c", _ios(before), date(2026, 9, 30))
    _decide(first, tmp_path / "q3.xlsx", ["modify", "keep", "keep"])
    review = _review_of(tmp_path / "c", _ios(after), date(2026, 12, 31), read_previous(str(tmp_path / "q3.xlsx")))
    assert [(row.change, row.previous_decision, row.decision) for row in review.rows] == \
        [("changed", "modify", ""), ("new", "", ""), ("unchanged", "keep", "keep")]
    assert [r["decision"] for r in review.removed] == ["keep"]  # the permit udp, now a deny: not the same rule


def test_previous_csv_saved_by_excel_as_big5(tmp_path: Path) -> None:
    acl = " 10 permit tcp any host 192.0.2.10 eq 443 log\n 20 deny ip any any\n"
    first = _review_of(tmp_path / "c", _ios(acl), date(2026, 9, 30), lang="zh-TW")
    rows = list(csv.reader(io.StringIO(render_csv(first))))
    decision = rows[0].index("決定（保留／修改／刪除）")
    rows[1][decision], rows[2][decision] = "保留", "刪除"
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    path = tmp_path / "q3.csv"
    path.write_bytes(out.getvalue().encode("cp950", errors="replace"))  # what Excel on zh-TW Windows saves
    review = _review_of(tmp_path / "c", _ios(acl), date(2026, 12, 31), read_previous(str(path)), lang="zh-TW")
    assert [(row.change, row.decision) for row in review.rows] == [("未變更", "保留"), ("未變更", "刪除")]


def _hidden_sheet(path: Path) -> str:
    import zipfile

    with zipfile.ZipFile(path) as archive:
        return max((n for n in archive.namelist() if n.startswith("xl/worksheets/sheet")), key=lambda n: int(n[19:-4]))


def test_a_damaged_hidden_sheet_is_bad_input(tmp_path: Path) -> None:
    import zipfile

    from netaudit.errors import NetauditInputError

    first = _review_of(tmp_path / "c", _ios(" 10 permit tcp any any eq 443\n"), date(2026, 9, 30))
    good, bad = tmp_path / "good.xlsx", tmp_path / "bad.xlsx"
    write_review(first, "xlsx", str(good))
    hidden = _hidden_sheet(good)
    with zipfile.ZipFile(good) as source, zipfile.ZipFile(bad, "w") as target:
        for item in source.infolist():
            data = source.read(item)
            target.writestr(item, data[: len(data) // 2] + b"<row r=" if item.filename == hidden else data)
    with pytest.raises(NetauditInputError, match="damaged") as caught:
        read_previous(str(bad))
    assert caught.value.file == str(bad)
    assert main(["review", str(tmp_path / "c"), "--output", str(tmp_path / "r.xlsx"), "--previous", str(bad)]) == 2


def test_a_one_column_row_in_the_hidden_sheet_is_read(tmp_path: Path) -> None:
    first = _review_of(tmp_path / "c", _ios(" 10 permit tcp any any eq 443\n"), date(2026, 9, 30))
    path = tmp_path / "q3.xlsx"
    write_review(first, "xlsx", str(path))
    book = load_workbook(path)
    book["_netaudit"].append(["a note the auditor typed"])
    book.save(path)
    assert read_previous(str(path)).as_of == date(2026, 9, 30)

