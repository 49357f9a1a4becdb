"""Align English and Chinese paragraphs (monotonic, dynamic programming), or read a manual alignment.

The cost of a bead (a group of English paragraphs read with a group of Chinese ones) is

* a prior for its shape: 1-1 is free; 1-2 and 2-1 cost more; an unmatched paragraph (1-0, 0-1) more
  still; 2-2 is allowed only at a high price;
* a length term in the style of Gale & Church: the log of the ratio of English characters to
  Chinese characters, against the ratio estimated from the document itself (re-estimated from the
  1-1 beads of a first pass), squared over a fixed variance;
* anchors: numbers and years (`80周年` <-> `80th`, `1980年代` <-> `1980s`, `5%`), Latin tokens inside the
  Chinese text that occur as English words (NATO, GDP, AI, Trump), and the count of quoted phrases.
  A matched anchor lowers the cost, an unmatched one raises it a little, wherever it lands. A 2-2
  bead is credited with the anchors of its two crossed pairs when they are stronger, so two
  paragraphs translated in the other order are read together rather than each with the wrong one.

Every paragraph index of both languages appears exactly once, in reading order.
"""

from __future__ import annotations

import math
import re
from collections import Counter

from ..errors import UsageError
from ..model import Pair

__all__ = ["align", "parse_pairs", "format_pairs"]

# Bead shapes (English count, Chinese count) and their prior costs.
_PRIORS = {(1, 1): 0.0, (1, 0): 2.5, (0, 1): 2.5, (2, 1): 2.5, (1, 2): 2.5, (2, 2): 6.0}
_SIGMA = 0.25  # standard deviation of log(en chars / (ratio * zh chars)) for a true pair
_MATCH = 1.5  # reward for each anchor found on both sides of a bead
_MISS = 0.4  # penalty for each anchor without its counterpart
_QUOTE = 0.35  # penalty per difference in the number of quoted phrases

# Non-space English characters per Chinese character in editorial translations, and its spread.
_TYPICAL_RATIO = 3.4
_RATIO_SIGMA = 0.2

# Above this many (English x Chinese) paragraph combinations, align pairs in order instead.
_MAX_CELLS = 250_000

_NUM = re.compile(r"\d+(?:[.,]\d+)*")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]*(?:[-'][A-Za-z0-9]+)*")

# A small lexicon of editorial vocabulary: (English pattern, Chinese forms in either script).
# Shared concepts are evidence that two paragraphs translate each other; concepts found in most
# paragraphs of a document (its topic) count for little.
_LEXICON_SRC: list[tuple[str, str]] = [
    (r"chin(?:a|ese)|beijing", "中國 中国 中方 北京 中俄 中美 中歐 中欧 兩岸 两岸"),
    (r"u\.?s\.?|united states|america\w*|washington", "美國 美国 美方 華府 华府 中美 美俄 美歐 美欧 美中"),
    (r"russia\w*|moscow|kremlin", "俄"),
    (r"ukrain\w*|kyiv|kiev", "烏克蘭 乌克兰 烏 乌"),
    (r"europe\w*|eu", "歐 欧"),
    (r"japan\w*|tokyo", "日本 日方"),
    (r"taiwan\w*|taipei", "台灣 臺灣 台湾 台北"),
    (r"hong kong|hk", "香港 本港 港府 港人"),
    (r"macau|macao", "澳門 澳门"),
    (r"britain|british|uk|london", "英國 英国 倫敦 伦敦"),
    (r"india\w*", "印度"),
    (r"korea\w*|pyongyang|seoul", "韓 韩 朝鮮 朝鲜"),
    (r"israel\w*", "以色列"),
    (r"gaza|palestin\w*", "加沙 巴勒斯坦"),
    (r"iran\w*", "伊朗"),
    (r"xi|xi jinping", "習近平 习近平 習 习"),
    (r"trump", "特朗普 川普 特"),
    (r"putin", "普京 普丁 普"),
    (r"biden", "拜登"),
    (r"soviet\w*|ussr", "蘇聯 苏联"),
    (r"government\w*|administration", "政府 當局 当局"),
    (r"legco|legislat\w*|lawmakers?", "立法會 立法会 議員 议员"),
    (r"chief executive|john lee", "特首 行政長官 行政长官 李家超"),
    (r"elect\w*|votes?|voting|polls?", "選舉 选举 投票 選 选"),
    (r"wars?|warfare", "戰 战"),
    (r"alliances?|allies|ally|allied", "盟"),
    (r"sanctions?", "制裁"),
    (r"tariffs?", "關稅 关税"),
    (r"trade|trading", "貿易 贸易"),
    (r"econom\w*", "經濟 经济"),
    (r"markets?", "市場 市场"),
    (r"militar\w*|troops?|army", "軍 军 出兵"),
    (r"missiles?", "導彈 导弹 導系統 导系统 中導 反導"),
    (r"nuclear", "核"),
    (r"security", "安全 國安 国安"),
    (r"police", "警"),
    (r"statements?", "聲明 声明"),
    (r"cooperat\w*|collaborat\w*", "合作"),
    (r"oppos\w*", "反對 反对"),
    (r"contain\w*", "遏制"),
    (r"globali[sz]ation", "全球化"),
    (r"multipolar\w*", "多極 多极"),
    (r"hegemon\w*", "霸權 霸权"),
    (r"united nations|un", "聯合國 联合国"),
    (r"victor\w*", "勝利 胜利"),
    (r"anniversar\w*", "周年 週年"),
    (r"world war ii|second world war", "二戰 二战"),
    (r"histor\w*", "歷史 历史"),
    (r"compet\w*", "競爭 竞争"),
    (r"technolog\w*", "技術 技术 科技"),
    (r"financ\w*", "金融 財政 财政"),
    (r"tax\w*", "稅 税"),
    (r"budgets?", "預算 预算"),
    (r"housing|flats?|homes?", "房屋 住屋 住房 樓宇 楼宇 單位"),
    (r"ferr(?:y|ies)|boats?|vessels?", "渡輪 渡轮 小輪 小轮 船"),
    (r"harbou?rs?", "海港 維港 维港 港口"),
    (r"piers?", "碼頭 码头"),
    (r"passengers?|commuters?|riders?", "乘客 旅客 市民"),
    (r"fares?|tickets?", "票價 票价 車資 车资 船費 船费"),
    (r"touris\w*|visitors?", "旅遊 旅游 遊客 游客 旅客"),
    (r"transport\w*", "交通 運輸 运输"),
    (r"schools?|students?|educat\w*", "學校 学校 學生 学生 教育"),
    (r"health\w*|hospitals?|medical", "醫 医 健康"),
    (r"environment\w*|climate|carbon|emissions?", "環境 环境 氣候 气候 碳 排放"),
    (r"courts?|judges?|judicia\w*", "法院 法官 司法"),
    (r"compan(?:y|ies)|firms?|business\w*|enterprises?", "公司 企業 企业 商界"),
    (r"banks?", "銀行 银行"),
    (r"invest\w*", "投資 投资"),
    (r"prices?|costs?", "價 价 成本 費用 费用"),
    (r"population", "人口"),
    (r"youth|young", "青年 年輕 年轻"),
    (r"elderly|older people", "長者 长者 老人"),
    (r"cultur\w*", "文化"),
    (r"heritage|conservation", "文物 遺產 遗产 保育"),
    (r"summits?", "峰會 峰会"),
    (r"visit\w*", "訪 访"),
    (r"negotiat\w*|talks", "談判 谈判 會談 会谈"),
    (r"president", "主席 總統 总统"),
    (r"ministers?|ministry", "部長 部长 部"),
    (r"polic(?:y|ies)", "政策"),
    (r"assets?", "資產 资产"),
    (r"overseas|abroad", "海外 境外"),
    (r"unilateral\w*", "單邊 单边 單極 单极"),
    (r"interests?", "利益"),
    (r"peace\w*", "和平"),
    (r"crisis|crises", "危機 危机"),
    (r"growth", "增長 增长"),
    (r"inflation", "通脹 通胀"),
    (r"charter", "憲章 宪章"),
    (r"principles?", "原則 原则 準則 准则"),
    (r"order", "秩序"),
    (r"stabilit\w*|stable", "穩定 稳定"),
    (r"deploy\w*", "部署"),
    (r"seiz\w*|confiscat\w*", "沒收 没收"),
    (r"influen\w*", "影響 影响"),
    (r"equal\w*", "平等 平起平坐"),
    (r"negative", "負面 负面"),
    (r"fair\w*", "公平"),
    (r"issues?", "問題 问题"),
    (r"concepts?", "概念"),
    (r"strateg\w*", "戰略 战略"),
    (r"restrict\w*|measures?", "限制 措施"),
    (r"blockades?", "封鎖 封锁"),
    (r"undermin\w*|weaken\w*", "削弱 破壞 破坏"),
    (r"revis\w*|tamper\w*", "篡改"),
    (r"subvert\w*", "顛覆 颠覆"),
    (r"sensitiv\w*", "敏感"),
    (r"stalemate|deadlock|impasse|stand-?off", "僵局"),
]
_LEXICON = [
    (re.compile(r"\b(?:" + en + r")\b", re.I), tuple(zh.split())) for en, zh in _LEXICON_SRC
]
_CONCEPT = 1.0  # reward per rare concept shared by the two sides of a bead
_CONCEPT_COMMON = 0.25  # reward per shared concept that most paragraphs mention
_CONCEPT_MISS = 0.0  # penalty (times the weight) per concept found on one side only (tuned: none)


def _concepts_en(text: str) -> frozenset[int]:
    return frozenset(k for k, (pattern, _zh) in enumerate(_LEXICON) if pattern.search(text))


def _concepts_zh(text: str) -> frozenset[int]:
    return frozenset(k for k, (_pattern, forms) in enumerate(_LEXICON) if any(f in text for f in forms))


def _numbers(text: str) -> Counter:
    out: Counter = Counter()
    for m in _NUM.finditer(text):
        raw = m.group(0)
        value = raw.replace(",", "") if re.fullmatch(r"\d{1,3}(?:,\d{3})+", raw) else raw
        value = value.rstrip(".,")
        if value.lstrip("0") in ("", "1"):
            continue  # 0 and 1 say little
        out[value.lstrip("0") or "0"] += 1
    return out


def _quotes(text: str, lang: str) -> int:
    if lang == "zh":
        return text.count("「") + text.count("“") + (text.count('"') // 2)
    return text.count("“") + (text.count('"') // 2)


def _en_features(text: str) -> tuple[int, Counter, frozenset[str], int]:
    words = frozenset(w.lower() for w in _LATIN_WORD.findall(text))
    return len(re.sub(r"\s", "", text)), _numbers(text), words, _quotes(text, "en"), _concepts_en(text)


def _zh_features(text: str) -> tuple[int, Counter, Counter, int]:
    latin = Counter(
        w.lower() for w in _LATIN_WORD.findall(text) if len(w) >= 2 or w.isupper()
    )
    return len(re.sub(r"\s", "", text)), _numbers(text), latin, _quotes(text, "zh"), _concepts_zh(text)


class _Features:
    """Per-group features (a group is one paragraph or two adjacent ones), computed once."""

    def __init__(self, en: list[str], zh: list[str]):
        self.en1 = [_en_features(p) for p in en]
        self.zh1 = [_zh_features(p) for p in zh]
        self._groups: dict[tuple[str, int, int], tuple] = {}
        self._anchor: dict[tuple[int, int, int, int], float] = {}
        # Concepts most paragraphs mention are the topic, not evidence for a pairing.
        weights: dict[int, float] = {}
        for side in (self.en1, self.zh1):
            counts = Counter(c for f in side for c in f[4])
            for c, k in counts.items():
                common = len(side) >= 3 and k > len(side) / 2
                w = _CONCEPT_COMMON if common else _CONCEPT
                weights[c] = min(weights.get(c, w), w)
        self.weights = weights

    def group(self, lang: str, end: int, size: int) -> tuple:
        """Features of paragraphs end-size .. end-1: (chars, numbers, words, quotes, anchors, concepts)."""
        key = (lang, end, size)
        g = self._groups.get(key)
        if g is None:
            singles = (self.en1 if lang == "en" else self.zh1)[end - size : end]
            chars = sum(f[0] for f in singles)
            nums: Counter = Counter()
            for f in singles:
                nums.update(f[1])
            if lang == "en":
                words = frozenset().union(*(f[2] for f in singles))
                anchors = sum(nums.values())
            else:
                words = Counter()
                for f in singles:
                    words.update(f[2])
                anchors = sum(nums.values()) + sum(words.values())
            quotes = sum(f[3] for f in singles)
            concepts = frozenset().union(*(f[4] for f in singles))
            g = (chars, dict(nums), words, quotes, anchors, concepts)
            self._groups[key] = g
        return g

    def anchor_cost(self, i: int, a: int, j: int, b: int) -> float:
        """Anchor and quote cost of the bead en[i-a:i] + zh[j-b:j] (shape prior excluded)."""
        key = (i, a, j, b)
        cost = self._anchor.get(key)
        if cost is not None:
            return cost
        if a == 0 or b == 0:
            g = self.group("en", i, a) if a else self.group("zh", j, b)
            cost = _MISS * g[4] + _CONCEPT_MISS * sum(self.weights[c] for c in g[5])
        else:
            ge = self.group("en", i, a)
            gz = self.group("zh", j, b)
            en_nums, zh_nums = ge[1], gz[1]
            matched = 0
            if en_nums and zh_nums:
                for k, v in zh_nums.items():
                    matched += min(v, en_nums.get(k, 0))
            unmatched = sum(en_nums.values()) + sum(zh_nums.values()) - 2 * matched
            en_words = ge[2]
            for word, count in gz[2].items():
                if word in en_words:
                    matched += count
                else:
                    unmatched += count
            cost = -_MATCH * min(matched, 8) + _MISS * unmatched + _QUOTE * abs(ge[3] - gz[3])
            w = self.weights
            shared = sum(w[c] for c in ge[5] & gz[5])
            cost += -min(shared, 8.0) + _CONCEPT_MISS * sum(w[c] for c in ge[5] ^ gz[5])
            if a == 2 and b == 2:
                # Two paragraphs translated in the other order: no monotonic path can pair them,
                # but a 2-2 bead reads both with both. When each English paragraph clearly matches
                # the other Chinese one better (by at least one anchor), credit the bead with the
                # evidence of the two crossed pairs.
                first_straight = self.anchor_cost(i - 1, 1, j - 1, 1)
                second_straight = self.anchor_cost(i, 1, j, 1)
                first_crossed = self.anchor_cost(i - 1, 1, j, 1)
                second_crossed = self.anchor_cost(i, 1, j - 1, 1)
                if first_crossed <= first_straight - _MATCH and second_crossed <= second_straight - _MATCH:
                    cost = min(cost, first_crossed + second_crossed)
        self._anchor[key] = cost
        return cost


def _dp(feats: _Features, ratio: float) -> tuple[float, list[Pair]]:
    n, m = len(feats.en1), len(feats.zh1)
    inf = float("inf")
    best = [[inf] * (m + 1) for _ in range(n + 1)]
    back: list[list[tuple[int, int] | None]] = [[None] * (m + 1) for _ in range(n + 1)]
    best[0][0] = 0.0
    shapes = list(_PRIORS.items())
    two_sigma2 = 2 * _SIGMA * _SIGMA
    log_ratio = math.log(ratio)
    # Only cells near the diagonal can be on a sensible path; the band is wide enough for many
    # unmatched paragraphs on either side.
    band = max(12, max(n, m) // 3 + abs(n - m))
    for i in range(n + 1):
        row = best[i]
        centre = i * m / n if n else 0
        lo = max(0, int(centre - band))
        hi = min(m, int(centre + band) + 1)
        if i == n:
            hi = m
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                continue
            cell = inf
            arg = None
            for (a, b), prior in shapes:
                if a > i or b > j:
                    continue
                prev = best[i - a][j - b]
                if prev == inf:
                    continue
                c = prev + prior + feats.anchor_cost(i, a, j, b)
                if a and b:
                    le = feats.group("en", i, a)[0]
                    lz = feats.group("zh", j, b)[0]
                    d = math.log(le + 1.0) - math.log(lz + 1.0 / ratio) - log_ratio
                    c += d * d / two_sigma2
                if c < cell:
                    cell, arg = c, (a, b)
            row[j] = cell
            back[i][j] = arg
    if best[n][m] == inf:  # pragma: no cover - the band always reaches the corner
        raise RuntimeError("alignment failed")
    pairs: list[Pair] = []
    i, j = n, m
    while i or j:
        a, b = back[i][j]  # type: ignore[misc]
        pairs.append(Pair(tuple(range(i - a, i)), tuple(range(j - b, j))))
        i, j = i - a, j - b
    pairs.reverse()
    return best[n][m], pairs


def _ratio_prior(ratio: float) -> float:
    """Cost of an English/Chinese character ratio far from what translations usually show."""
    d = math.log(ratio / _TYPICAL_RATIO)
    return d * d / (2 * _RATIO_SIGMA * _RATIO_SIGMA)


def align(en: list[str], zh: list[str]) -> list[Pair]:
    """Monotonic alignment of English and Chinese paragraphs (0-based indexes in each Pair)."""
    en = [str(p) for p in en]
    zh = [str(p) for p in zh]
    if not en or not zh:
        return [Pair((i,), ()) for i in range(len(en))] + [Pair((), (j,)) for j in range(len(zh))]
    if len(en) * len(zh) > _MAX_CELLS:
        # Not an editorial (thousands of paragraphs): pair in order rather than spend minutes.
        k = min(len(en), len(zh))
        return (
            [Pair((i,), (i,)) for i in range(k)]
            + [Pair((i,), ()) for i in range(k, len(en))]
            + [Pair((), (j,)) for j in range(k, len(zh))]
        )
    feats = _Features(en, zh)
    total_en = sum(f[0] for f in feats.en1)
    total_zh = sum(f[0] for f in feats.zh1)
    base = (total_en + 1.0) / (total_zh + 1.0)
    # The ratio of English to Chinese characters is estimated from the document: try ratios around
    # the overall one (unmatched paragraphs skew it) and keep the cheapest alignment, then refine
    # the ratio from its 1-1 beads.
    best: tuple[float, float, list[Pair]] | None = None
    factors = (0.7, 0.8, 0.9, 1.0, 1.12, 1.25, 1.4, 1.6) if max(len(en), len(zh)) <= 40 else (0.85, 1.0, 1.18)
    for factor in factors:
        cost, pairs = _dp(feats, base * factor)
        cost += _ratio_prior(base * factor)
        if best is None or cost < best[0] - 1e-9:
            best = (cost, base * factor, pairs)
    assert best is not None
    cost, ratio, pairs = best
    ones = [p for p in pairs if len(p.en) == 1 and len(p.zh) == 1]
    if len(ones) >= 2:
        le = sum(feats.en1[p.en[0]][0] for p in ones)
        lz = sum(feats.zh1[p.zh[0]][0] for p in ones)
        refined = (le + 1.0) / (lz + 1.0)
        if abs(math.log(refined / ratio)) > 0.02:
            cost2, pairs2 = _dp(feats, refined)
            cost2 += _ratio_prior(refined)
            if cost2 <= cost + 1e-9:
                pairs = pairs2
    return pairs


# --------------------------------------------------------------------------------------------
# manual alignment: "-:1, 1:2, 2:3, 3+4:5, 5:6+7"


def _side(text: str, what: str, limit: int, item: str) -> tuple[int, ...]:
    text = text.strip()
    if text in ("-", "–", "—", ""):
        if text == "":
            raise UsageError(f"Pair {item!r}: the {what} side is empty; write '-' for none.")
        return ()
    out = []
    for part in text.split("+"):
        part = part.strip()
        if not part.isdigit():
            raise UsageError(f"Pair {item!r}: {part!r} is not an {what} paragraph number." if what == "English" else f"Pair {item!r}: {part!r} is not a {what} paragraph number.")
        k = int(part)
        if not 1 <= k <= limit:
            if limit == 0:
                raise UsageError(f"Pair {item!r}: there are no {what} paragraphs.")
            raise UsageError(f"Pair {item!r}: {what} paragraph {k} does not exist (1 to {limit}).")
        out.append(k - 1)
    return tuple(out)


def parse_pairs(spec: str, n_en: int, n_zh: int) -> list[Pair]:
    """Read a manual alignment (1-based, as users see paragraphs) and check it.

    Items are separated by commas or new lines; `#` starts a comment. Each item is `EN:ZH`, where a
    side is a number, numbers joined by `+`, or `-` for none. Every paragraph must appear exactly
    once, in reading order.
    """
    items: list[str] = []
    for line in spec.splitlines() or [""]:
        line = line.split("#", 1)[0]
        items.extend(part.strip() for part in line.replace(";", ",").split(",") if part.strip())
    if not items:
        raise UsageError("The pairs are empty; write items like '1:1, 2:2+3'.")
    pairs: list[Pair] = []
    for item in items:
        if item.count(":") != 1:
            raise UsageError(f"Pair {item!r} is not EN:ZH (for example '1:2', '3+4:5' or '-:1').")
        left, right = item.split(":")
        e = _side(left, "English", n_en, item)
        z = _side(right, "Chinese", n_zh, item)
        if not e and not z:
            raise UsageError(f"Pair {item!r} names no paragraph on either side.")
        pairs.append(Pair(e, z))
    for lang, what, n in (("en", "English", n_en), ("zh", "Chinese", n_zh)):
        seen: list[int] = [k for p in pairs for k in getattr(p, lang)]
        counts = Counter(seen)
        dup = sorted(k for k, c in counts.items() if c > 1)
        if dup:
            raise UsageError(f"{what} paragraph {dup[0] + 1} appears more than once in the pairs.")
        missing = [k for k in range(n) if k not in counts]
        if missing:
            listed = ", ".join(str(k + 1) for k in missing[:5]) + (" …" if len(missing) > 5 else "")
            raise UsageError(
                f"{what} paragraph{'s' if len(missing) > 1 else ''} {listed} "
                f"{'are' if len(missing) > 1 else 'is'} missing from the pairs (use '-:N' or 'N:-' for unmatched ones)."
            )
        for a, b in zip(seen, seen[1:]):
            if b != a + 1:
                raise UsageError(
                    f"{what} paragraphs must be paired in reading order: {b + 1} comes after {a + 1}."
                )
    return pairs


def format_pairs(pairs: list[Pair]) -> str:
    """The SPEC form of an alignment, e.g. '-:1, 1:2, 2+3:3' (the inverse of parse_pairs)."""

    def side(ix: tuple[int, ...]) -> str:
        return "+".join(str(k + 1) for k in ix) if ix else "-"

    return ", ".join(f"{side(p.en)}:{side(p.zh)}" for p in pairs)
