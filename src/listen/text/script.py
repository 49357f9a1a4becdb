"""Which Chinese script a text is written in, and how plausible a decoded text is as Chinese.

Character sets come from the codecs themselves: a Han character that GB2312 can encode but Big5
cannot is Simplified (这, 国), one that Big5 can encode but GB2312 cannot is Traditional (這, 國).
A short list of the most frequent characters of both scripts adds weight to the plausibility score
used to choose between Big5 and GB18030.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

__all__ = ["detect_script", "is_han", "plausibility"]

# The most frequent characters of modern written Chinese, Simplified then Traditional.
_FREQUENT_SIMPLIFIED = (
    "的一是不了在人有我他这个们中来上大为和国地到以说时要就出会可也你对生能而子那得于着下自之年过发后作里"
    "用道行所然家种事成方多经么去法学如都同现当没动面起看定天分还进好小部其些主样理心她本前开但因只从想实日军"
    "者意无力它与长把机十民第公此已工使情明性知全三又关点正业外将两高间由问很最重并物手应战向头文体政美相见被"
    "利什二等产或新己制身果加西斯月话合回特代内信表化老给世位次度门任常先海通教儿原东声提立及比员解水名真论处"
    "走义各入几口认条平系气题活尔更别打女变四神总何电数安少报才结反受目太量再感建务做接必场件计管期市直德资命"
    "山金指克许统区保至队形社便空决治展马科司五基眼书非则听白却界达光放强即像难且权思王象完设式色路记南品住告"
    "类求据程北边死张该交规万取拉格望觉术领共确传师观清今切院让识候带导争运笑飞风步改收根干造言联持组每济车亲"
    "极林服快办议往元英士证近失转夫令准布始怎呢存未远叫台单影具罗字爱击流备兵连调深商算质团集百需价花党华城石"
    "级整府离况亚请技际约示复病息究线似官火断精满支视消越器容照须九增研写称企八功吗包片史委乎查轻易早曾除农找"
    "装广显吧阿李标谈吃图念六引历首医局突专费号尽另周较注语仅考落青随选列武红响虽推势参希古众构房半节土投某案"
    "俄盟抵制遏措施贸易关税谈判访问签署协议经济global"
)
_FREQUENT_TRADITIONAL = (
    "的一是不了在人有我他這個們中來上大為和國地到以說時要就出會可也你對生能而子那得於著下自之年過發後作裡裏"
    "用道行所然家種事成方多經麼去法學如都同現當沒動面起看定天分還進好小部其些主樣理心她本前開但因只從想實日軍"
    "者意無力它與長把機十民第公此已工使情明性知全三又關點正業外將兩高間由問很最重並物手應戰向頭文體政美相見被"
    "利什二等產或新己制身果加西斯月話合回特代內信表化老給世位次度門任常先海通教兒原東聲提立及比員解水名真論處"
    "走義各入幾口認條平系氣題活爾更別打女變四神總何電數安少報才結反受目太量再感建務做接必場件計管期市直德資命"
    "山金指克許統區保至隊形社便空決治展馬科司五基眼書非則聽白卻界達光放強即像難且權思王象完設式色路記南品住告"
    "類求據程北邊死張該交規萬取拉格望覺術領共確傳師觀清今切院讓識候帶導爭運笑飛風步改收根乾造言聯持組每濟車親"
    "極林服快辦議往元英士證近失轉夫令準布始怎呢存未遠叫台單影具羅字愛擊流備兵連調深商算質團集百需價花黨華城石"
    "級整府離況亞請技際約示復病息究線似官火斷精滿支視消越器容照須九增研寫稱企八功嗎包片史委乎查輕易早曾除農找"
    "裝廣顯吧阿李標談吃圖念六引歷首醫局突專費號盡另周較注語僅考落青隨選列武紅響雖推勢參希古眾構房半節土投某案"
    "俄盟抵製遏措施貿易關稅談判訪問簽署協議經濟港澳粵"
)
_FREQUENT = frozenset(c for c in _FREQUENT_SIMPLIFIED + _FREQUENT_TRADITIONAL if ord(c) > 0x2E80)

_COMMON_PUNCT = frozenset("，。、；：？！「」『』（）《》〈〉“”‘’—…·．～【】〔〕﹁﹂－／％")


def is_han(ch: str) -> bool:
    """A CJK unified ideograph (basic block, extension A, compatibility or the supplementary planes)."""
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0xF900 <= o <= 0xFAFF
        or 0x20000 <= o <= 0x3134F
    )


@lru_cache(maxsize=None)
def _common_sets() -> tuple[frozenset[str], frozenset[str]]:
    """(GB2312 level-1 characters, Big5 frequent characters): about 3,755 and 5,401 characters."""
    gb = set()
    for lead in range(0xB0, 0xD8):
        for trail in range(0xA1, 0xFF):
            try:
                gb.add(bytes((lead, trail)).decode("gb2312"))
            except UnicodeDecodeError:
                pass
    b5 = set()
    for lead in range(0xA4, 0xC7):
        for trail in list(range(0x40, 0x7F)) + list(range(0xA1, 0xFF)):
            if lead == 0xC6 and trail > 0x7E:
                break
            try:
                b5.add(bytes((lead, trail)).decode("big5"))
            except UnicodeDecodeError:
                pass
    return frozenset(gb), frozenset(b5)


_CLASS_CACHE: dict[str, int] = {}


def _char_class(ch: str) -> int:
    """+1 Simplified-only, -1 Traditional-only, 0 both or neither (for a Han character)."""
    cls = _CLASS_CACHE.get(ch)
    if cls is None:
        try:
            ch.encode("gb2312")
            in_gb = True
        except UnicodeEncodeError:
            in_gb = False
        try:
            ch.encode("big5")
            in_b5 = True
        except UnicodeEncodeError:
            in_b5 = False
        cls = 1 if in_gb and not in_b5 else -1 if in_b5 and not in_gb else 0
        _CLASS_CACHE[ch] = cls
    return cls


def detect_script(text: str, limit: int = 50_000) -> Literal["traditional", "simplified"] | None:
    """The script of the Han characters in `text`; None when there are none.

    Looks at up to `limit` Han characters. A text with only characters common to both scripts
    counts as Traditional (the Hong Kong default).
    """
    trad = simp = seen = 0
    for ch in text:
        if not is_han(ch):
            continue
        seen += 1
        cls = _char_class(ch)
        if cls > 0:
            simp += 1
        elif cls < 0:
            trad += 1
        if seen >= limit:
            break
    if not seen:
        return None
    return "simplified" if simp > trad else "traditional"


def plausibility(text: str) -> float:
    """How much `text` looks like real (Chinese or English) writing: about 1 to 2.5 for good text,
    0 or below for mojibake. ASCII counts as neutral; only non-ASCII characters are scored."""
    gb, b5 = _common_sets()
    score = 0.0
    n = 0
    for ch in text:
        o = ord(ch)
        if o < 0x80:
            continue
        n += 1
        if is_han(ch):
            if ch in _FREQUENT:
                score += 2.5
            elif ch in gb or ch in b5:
                score += 1.0
            elif 0x4E00 <= o <= 0x9FFF:
                score += 0.0
            else:  # extension A/B, compatibility ideographs
                score -= 1.0
        elif ch in _COMMON_PUNCT:
            score += 1.5
        elif 0xE000 <= o <= 0xF8FF or 0xF0000 <= o:  # private use
            score -= 3.0
        elif 0x3040 <= o <= 0x30FF or 0x3100 <= o <= 0x312F or 0xAC00 <= o <= 0xD7AF:
            score -= 1.0  # kana, bopomofo, hangul: unlikely in a Chinese/English editorial
        elif 0x2500 <= o <= 0x25FF or 0x0370 <= o <= 0x04FF:
            score -= 0.5  # box drawing, Greek, Cyrillic
        elif 0x80 <= o < 0xA0:
            score -= 3.0
        else:
            score += 0.0
    return score / n if n else 0.0
