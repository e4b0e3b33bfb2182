"""The glossary (locale/glossary.tsv) holds the portal's core terms; every catalog entry whose
English is a glossary term has the glossary's Chinese, in its translation context."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
GLOSSARY = ROOT / "locale" / "glossary.tsv"
CATALOG = ROOT / "locale" / "zh_Hans" / "LC_MESSAGES" / "django.po"


def glossary():
    """``{(term, context or None): chinese}``."""
    rows = {}
    lines = [line for line in GLOSSARY.read_text(encoding="utf-8").splitlines()
             if line.strip() and not line.startswith("#")]
    header, *body = lines
    assert header.split("\t")[:3] == ["english", "context", "chinese"]
    for line in body:
        english, context, chinese, *_note = line.split("\t")
        key = (english.strip().lower(), None if context.strip() == "-" else context.strip())
        assert key not in rows, f"glossary row {key} twice"
        rows[key] = chinese.strip()
    return rows


def catalog():
    """``[(context, msgid, msgstr)]`` of the catalog's singular, active entries."""
    entries = []
    for block in re.split(r"\n\s*\n", CATALOG.read_text(encoding="utf-8")):
        fields, current = {}, None
        for line in block.splitlines():
            if line.startswith("#"):
                continue
            match = re.match(r'(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                current = match.group(1)
                fields[current] = match.group(2)
            elif current and (match := re.match(r'"(.*)"$', line)):
                fields[current] += match.group(1)
        if fields.get("msgid") and "msgstr" in fields:
            entries.append((fields.get("msgctxt"), fields["msgid"], fields["msgstr"]))
    return entries


def _term(msgid, terms):
    text = msgid.strip().lower()
    if text in terms:
        return text
    if text.endswith("s") and text[:-1] in terms:
        return text[:-1]
    return None


def test_every_glossary_term_is_translated_as_the_glossary_says():
    rows = glossary()
    terms = {term for term, _context in rows}
    wrong = []
    for context, msgid, msgstr in catalog():
        term = _term(msgid, terms)
        if term is None or not msgstr:
            continue
        expected = rows.get((term, context), rows.get((term, None)))
        if expected is not None and msgstr != expected:
            wrong.append(f"{context or '-'} | {msgid} → {msgstr} (glossary: {expected})")
    assert not wrong, "\n".join(wrong)


def test_the_check_finds_a_wrong_translation():
    rows = glossary()
    assert rows[("organisation", None)] == "机构"
    assert rows[("organisation", "work plan")] == "组织分工"
    assert _term("Host units", {term for term, _c in rows}) == "host unit"


def test_the_named_mistranslations_are_gone():
    entries = {(context, msgid): msgstr for context, msgid, msgstr in catalog()}
    assert entries[(None, "Organisation")] == "机构"
    assert entries[("date range", "From")] == "开始日期"
    assert entries[("date range", "To")] == "结束日期"
    assert entries[("e-mail", "To")] == "收件地址"


def test_the_stage_table_and_outbox_use_their_contexts():
    stage_table = (ROOT / "contests/templates/contests/includes/stage_table.html").read_text()
    assert '{% translate "From" context "date range" %}' in stage_table
    assert '{% translate "To" context "date range" %}' in stage_table
    admin = (ROOT / "notifications/admin.py").read_text()
    assert 'pgettext_lazy("e-mail", "To")' in admin


def test_a_chinese_reader_sees_the_right_words(db):
    from django.template.loader import render_to_string
    from django.utils import translation

    from contests.forms import WorkPlanForm

    with translation.override("zh-hans"):
        table = render_to_string("contests/includes/stage_table.html", {"stages": []})
        assert "开始日期" in table and "结束日期" in table and "原状态" not in table
        assert str(WorkPlanForm().fields["organisation"].label) == "组织分工"
        from demands.forms import DemandForm

        # The new-demand form's first field is the company, not a division of work.
        assert str(DemandForm.base_fields["organisation"].label) == "机构"
