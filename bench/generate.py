"""Generate a library of synthetic bilingual editorials for the library benchmark.

    python bench/generate.py OUTDIR [--articles 365] [--seed 6]

Each file is laid out like a Ming Pao editorial (see the shared sample): ``date YYYY-MM-DD``
glued to the first English paragraph, N English paragraphs, a Chinese title line
``社評YYYY.MM.DD：標題``, N or N+1 Chinese paragraphs, then ``■ Glossary 生字 /`` with 2–3
``term : definition`` lines. The text is made here from templates, random words and numbers
(nothing is copied from real editorials). Files are the size of a real one (the shared sample
is 5.8 KB with 5 English and 6 Chinese paragraphs and 3 glossary terms): 4-6 English paragraphs
of 6-8 sentences, as many Chinese paragraphs (of 6-9) or one more, 2-4 terms; about 6 KB on average.
Output is deterministic for a given seed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
from pathlib import Path

# --- English --------------------------------------------------------------------------------

PLACES = [
    "Kowloon", "Sha Tin", "Tsuen Wan", "Tuen Mun", "Lantau", "the New Territories", "Sai Kung",
    "Yuen Long", "Wan Chai", "Kwun Tong", "the Northern Metropolis", "Tseung Kwan O", "Tai Po",
]
GROUPS = [
    "the government", "legislators", "district councillors", "small businesses", "landlords",
    "commuters", "parents", "hospital staff", "young families", "retailers", "transport operators",
    "university students", "elderly residents", "property developers", "social workers",
]
SUBJECTS = [
    "public housing", "the minibus network", "cross-border rail", "waste charging", "elderly care",
    "school places", "cycling tracks", "flood defences", "hospital waiting times", "the tourism levy",
    "rooftop solar panels", "harbour ferries", "street markets", "youth hostels", "water tariffs",
    "the innovation fund", "night buses", "land reclamation", "country parks", "air quality",
]
ADJECTIVES = [
    "modest", "ambitious", "overdue", "costly", "cautious", "timely", "uneven", "practical",
    "controversial", "piecemeal", "sensible", "belated", "generous", "narrow",
]
VERBS = ["review", "expand", "simplify", "delay", "fund", "reform", "measure", "protect", "reconsider"]

# (term, part of speech, definition): plain definitions written for this benchmark.
GLOSSARY = [
    ("bolster", "v", "to make something stronger or more likely to succeed"),
    ("backlog", "n", "a quantity of work that should have been done already"),
    ("stopgap", "n", "a temporary measure used until something better is found"),
    ("shortfall", "n", "the amount by which something is less than what is needed"),
    ("scrutiny", "n", "careful and detailed examination"),
    ("overhaul", "v", "to improve a system by changing many of its parts"),
    ("bottleneck", "n", "a point where movement or progress is slowed"),
    ("subsidy", "n", "money paid to keep a price low or a service running"),
    ("levy", "n", "an amount of money that must be paid, such as a tax"),
    ("feasible", "a", "possible to do and likely to work"),
    ("backlash", "n", "a strong negative reaction to a change"),
    ("headway", "n", "progress towards achieving something"),
    ("rein in", "v", "to start to control something more strictly"),
    ("pilot scheme", "n", "a small trial of a plan before it is used widely"),
    ("red tape", "n", "official rules that seem to delay things without need"),
    ("stakeholder", "n", "a person or group with an interest in how something turns out"),
    ("leeway", "n", "freedom to act in the way one wants"),
    ("trade-off", "n", "a balance between two things one cannot have at once"),
    ("windfall", "n", "an amount of money received unexpectedly"),
    ("deadlock", "n", "a situation in which neither side can make progress"),
    ("phase out", "v", "to stop using something gradually"),
    ("fallout", "n", "the bad results of an action or event"),
    ("outlay", "n", "money spent at the start of a project"),
    ("viable", "a", "able to work or to succeed"),
    ("streamline", "v", "to make a system simpler and more efficient"),
    ("prudent", "a", "careful and sensible, especially about money"),
]

EN_TEMPLATES = [
    "The plan for {subject} in {place} is {adj}, and {group} have said so.",
    "Officials expect {subject} to cost about {money} billion dollars over {years} years.",
    "Some {number} residents of {place} signed a petition about {subject} last month.",
    "Only {percent} per cent of {group} think the current rules on {subject} are fair.",
    "{A_adj} start would be to {verb} {subject} before the next budget.",
    "{Group} in {place} want a clear timetable rather than another consultation.",
    "The figures for {year} show a rise of {percent} per cent, which is hard to ignore.",
    "It would be wiser to {verb} the scheme than to defend every detail of it.",
    "Nobody doubts that {subject} matters; the question is who pays for it.",
    "The last review of {subject} was published in {year}, and little has changed since.",
    "Critics say {group} were consulted late and heard little.",
    "A trial in {place} served {number} people in its first {years} months.",
]
EN_TERM_TEMPLATES = {  # by part of speech of the glossary term
    "n": [
        "The {term} in {subject} is what {group} in {place} notice first.",
        "Nobody in {place} wants another {term}, least of all {group}.",
        "The report calls it a {term}, and {group} agree.",
    ],
    "v": [
        "To {term} {subject}, officials must first publish the numbers.",
        "{Group} now want to {term} {subject} before {year}.",
    ],
    "a": [
        "Is the plan for {subject} {term}? {Group} in {place} are not sure.",
        "A more {term} approach to {subject} would win over {group}.",
    ],
}

# --- Chinese (Traditional) --------------------------------------------------------------------

ZH_PLACES = ["九龍", "沙田", "荃灣", "屯門", "大嶼山", "新界", "西貢", "元朗", "灣仔", "觀塘", "北部都會區", "將軍澳", "大埔"]
ZH_GROUPS = ["政府", "議員", "區議員", "小商戶", "業主", "通勤人士", "家長", "醫護人員", "年輕家庭", "零售業界", "運輸營辦商", "大學生", "長者", "發展商", "社工"]
ZH_SUBJECTS = [
    "公營房屋", "小巴網絡", "跨境鐵路", "垃圾收費", "安老服務", "學位供應", "單車徑", "防洪設施", "醫院輪候時間",
    "旅遊稅", "天台太陽能板", "港內渡輪", "街市", "青年宿舍", "水費", "創新基金", "通宵巴士", "填海", "郊野公園", "空氣質素",
]
ZH_ADJ = ["溫和", "進取", "遲來", "昂貴", "審慎", "及時", "參差", "務實", "具爭議", "零碎", "合理", "寬鬆"]
ZH_VERBS = ["檢討", "擴大", "簡化", "推遲", "資助", "改革", "量度", "保護", "重新考慮"]
ZH_TEMPLATES = [
    "{place}的{subject}計劃屬於{adj}之舉，{group}亦有同感。",
    "官員估計{subject}在未來{years}年需要約{money}億元。",
    "上月約有{number}名{place}居民就{subject}聯署請願。",
    "只有{percent}%的{group}認為現行{subject}的規定公平。",
    "在下一份預算案之前先{verb}{subject}，會是較{adj}的第一步。",
    "{place}的{group}希望政府訂出清晰時間表，而不是再諮詢一次。",
    "{year}年的數字顯示升幅達{percent}%，難以忽視。",
    "與其為每項細節辯護，不如及早{verb}整個方案。",
    "{subject}重要與否無人懷疑，問題是由誰付錢。",
    "上一次{subject}檢討在{year}年發表，之後變化不大。",
    "批評者指{group}太遲才被諮詢，意見亦未被聽取。",
    "{place}的試驗計劃在首{years}個月服務了{number}人。",
]
ZH_TITLES = ["{subject}須及早{verb}", "{place}{subject}不宜拖延", "{verb}{subject}刻不容緩", "{subject}政策要顧及{group}"]


def _fill(template: str, rng: random.Random, **extra: str) -> str:
    values = {
        "place": rng.choice(PLACES),
        "group": rng.choice(GROUPS),
        "subject": rng.choice(SUBJECTS),
        "adj": rng.choice(ADJECTIVES),
        "verb": rng.choice(VERBS),
        "money": str(rng.randint(2, 90)),
        "years": str(rng.randint(2, 12)),
        "number": f"{rng.randint(3, 90) * 100:,}",
        "percent": str(rng.randint(3, 78)),
        "year": str(rng.randint(2008, 2024)),
        **extra,
    }
    values["Group"] = values["group"][0].upper() + values["group"][1:]
    values["A_adj"] = ("An " if values["adj"][0] in "aeiou" else "A ") + values["adj"]
    return template.format(**values)


def _fill_zh(template: str, rng: random.Random) -> str:
    return template.format(
        place=rng.choice(ZH_PLACES),
        group=rng.choice(ZH_GROUPS),
        subject=rng.choice(ZH_SUBJECTS),
        adj=rng.choice(ZH_ADJ),
        verb=rng.choice(ZH_VERBS),
        money=rng.randint(2, 90),
        years=rng.randint(2, 12),
        number=rng.randint(3, 90) * 100,
        percent=rng.randint(3, 78),
        year=rng.randint(2008, 2024),
    )


def _term_sentence(entry: tuple[str, str, str], rng: random.Random) -> str:
    term, kind, _ = entry
    return _fill(rng.choice(EN_TERM_TEMPLATES[kind]), rng, term=term)


def editorial(day: dt.date, rng: random.Random) -> str:
    """The text of one editorial for `day`."""
    n = rng.randint(4, 6)
    n_zh = n + (1 if rng.random() < 0.4 else 0)
    terms = rng.sample(GLOSSARY, rng.randint(2, 4))

    en_paragraphs = []
    for i in range(n):
        sentences = [_fill(t, rng) for t in rng.sample(EN_TEMPLATES, rng.randint(6, 8))]
        if i < len(terms):  # each glossary term is used once in the text
            sentences.insert(rng.randint(0, len(sentences)), _term_sentence(terms[i], rng))
        en_paragraphs.append(" ".join(sentences))
    for entry in terms[n:]:
        en_paragraphs[-1] += " " + _term_sentence(entry, rng)

    zh_paragraphs = ["".join(_fill_zh(t, rng) for t in rng.sample(ZH_TEMPLATES, rng.randint(6, 9))) for _ in range(n_zh)]
    title = _fill_zh(rng.choice(ZH_TITLES), rng)

    lines = [f" date {day.isoformat()} {en_paragraphs[0]}", ""]
    for paragraph in en_paragraphs[1:]:
        lines += [paragraph, ""]
    lines += [f"社評{day:%Y.%m.%d}：{title}", ""]
    for paragraph in zh_paragraphs:
        lines += [paragraph, ""]
    lines += ["■ Glossary 生字 /", ""]
    for term, _, definition in terms:
        lines += [f"{term} : {definition}", ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def generate(out: Path, articles: int = 365, seed: int = 6, start: dt.date = dt.date(2025, 1, 1)) -> list[Path]:
    """Write `articles` editorials, one a day from `start`, as OUT/editorial-YYYY-MM-DD.txt."""
    out.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(articles):
        day = start + dt.timedelta(days=i)
        rng = random.Random(f"{seed}-{day.isoformat()}")
        path = out / f"editorial-{day.isoformat()}.txt"
        path.write_text(editorial(day, rng), encoding="utf-8")
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--articles", type=int, default=365)
    parser.add_argument("--seed", type=int, default=6)
    args = parser.parse_args()
    paths = generate(args.out, args.articles, args.seed)
    print(f"Wrote {len(paths)} editorials to {args.out}")


if __name__ == "__main__":
    main()
