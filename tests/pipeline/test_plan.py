"""Planning: which segments each track says, in which order, with which silences (pure)."""

from listen.config import TimingSettings, VoiceSettings
from listen.model import Document, GlossaryEntry, Pair, Paragraph
from listen.plan.article import find_usage, plan_article
from listen.plan.items import Gap, Segment
from listen.voicing import Voicing


def _doc(**kw) -> Document:
    en = [Paragraph("Ferries are slow. They are loved.", ("Ferries are slow.", "They are loved.")),
          Paragraph("The fare rose to $5.", ("The fare rose to $5.",))]
    zh = [Paragraph("序言。", ("序言。",)), Paragraph("渡輪很慢。", ("渡輪很慢。",)), Paragraph("票價加到五元。", ("票價加到五元。",))]
    base = dict(
        source="ferry.txt", date="2026-03-14", title_zh="渡輪", title_en=None, en=en, zh=zh,
        glossary=[GlossaryEntry("fare", "the money paid for a journey", "票價"), GlossaryEntry("gangway", "a bridge", None)],
        pairs=[Pair((), (0,)), Pair((0,), (1,)), Pair((1,), (2,))], script="traditional",
    )
    base.update(kw)
    return Document(**base)


def _plans(doc=None, voice=None, **timing):
    doc = doc or _doc()
    t = TimingSettings(**timing)
    return {p.path: p for p in plan_article(doc, Voicing.decide(doc.script, voice or VoiceSettings(), t), t)}


def _shape(items):
    return [i.id if isinstance(i, Segment) else f"gap{i.seconds}" for i in items]


def test_alternating_follows_alignment_with_gaps():
    plans = _plans(gap_ms=500, pair_gap_ms=1000)
    assert _shape(plans["alternating"].items) == [
        "title-zh", "gap1.0", "zh-01", "gap1.0", "en-01", "gap0.5", "zh-02", "gap1.0", "en-02", "gap0.5", "zh-03",
    ]
    assert plans["alternating"].title == "2026-03-14 渡輪 · EN ⇄ 中 alternating"
    assert all(isinstance(i, (Segment, Gap)) for p in plans.values() for i in p.items)


def test_zh_first_swaps_each_pair():
    plans = _plans(zh_first=True)
    assert [s.id for s in plans["alternating"].segments] == ["title-zh", "zh-01", "zh-02", "en-01", "zh-03", "en-02"]


def test_learning_chinese_puts_chinese_first_unless_told_otherwise():
    learning_zh = VoiceSettings(learning="zh")
    assert [s.id for s in _plans(voice=learning_zh)["pairs/pair-02"].segments] == ["zh-02", "en-01"]
    assert [s.id for s in _plans(voice=learning_zh, zh_first=False)["pairs/pair-02"].segments] == ["en-01", "zh-02"]


def test_language_tracks_glossary_pairs_and_paragraph_files():
    plans = _plans()
    assert [s.id for s in plans["english"].segments] == ["en-01", "en-02"]
    assert [s.id for s in plans["chinese"].segments] == ["title-zh", "zh-01", "zh-02", "zh-03"]
    # term, definition, Chinese gloss, then the sentence of the text using the term.
    assert [(s.id, s.text) for s in plans["glossary"].segments] == [
        ("glossary-01-term", "fare"), ("glossary-01-definition", "the money paid for a journey"),
        ("glossary-01-zh", "票價"), ("glossary-01-example", "The fare rose to $5."),
        ("glossary-02-term", "gangway"), ("glossary-02-definition", "a bridge"),
    ]
    assert [p for p in plans if p.startswith("pairs/")] == ["pairs/pair-01", "pairs/pair-02", "pairs/pair-03"]
    assert [s.id for s in plans["pairs/pair-01"].segments] == ["zh-01"]
    assert [p for p, t in plans.items() if t.kind == "paragraph"] == [
        "paragraphs/title-zh", "paragraphs/en-01", "paragraphs/en-02", "paragraphs/zh-01", "paragraphs/zh-02",
        "paragraphs/zh-03", "paragraphs/glossary-01", "paragraphs/glossary-02",
    ]
    seg = plans["pairs/pair-02"].segments
    assert [(s.paragraph, s.pair) for s in seg] == [(0, 1), (1, 1)]


def test_glossary_entry_with_only_a_chinese_gloss():
    plans = _plans(_doc(glossary=[GlossaryEntry("wharf", "", "碼頭")]))
    assert [(s.lang, s.text) for s in plans["glossary"].segments] == [("en", "wharf"), ("zh", "碼頭")]


def test_monolingual_document_has_no_alternating_track():
    plans = _plans(_doc(zh=[], pairs=[Pair((0,), ()), Pair((1,), ())], title_zh=None, script=None))
    kinds = {t.kind for t in plans.values()}
    assert "alternating" not in kinds and "chinese" not in kinds and "pair" not in kinds
    assert "english" in kinds


def test_find_usage_allows_inflections_and_hyphen_variants():
    doc = _doc(en=[Paragraph("x", ("They faced off in court.", "A long standoff followed.", "It subverts order."))])
    assert find_usage("face off", doc) == (0, "They faced off in court.")
    assert find_usage("stand-off", doc) == (0, "A long standoff followed.")
    assert find_usage("subvert", doc) == (0, "It subverts order.")
    assert find_usage("ferry", doc) is None
