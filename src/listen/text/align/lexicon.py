"""Editorial concepts in both languages, as data: an English pattern and the Chinese forms (either
script) that say the same. Shared concepts are evidence that two texts translate each other; the
aligners weigh them (concepts found in most paragraphs of a document, its topic, count for little).
A real bilingual dictionary (CC-CEDICT, `dictionary`) covers ordinary words; this list adds the
names, places and institutions of news editorials that a dictionary spells differently.
"""

from __future__ import annotations

import re

__all__ = ["CONCEPTS", "concepts_en", "concepts_zh"]

# A small lexicon of editorial vocabulary: (English pattern, Chinese forms in either script).
# Shared concepts are evidence that two paragraphs translate each other; concepts found in most
# paragraphs of a document (its topic) count for little.
SOURCE: list[tuple[str, str]] = [
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

CONCEPTS = [(re.compile(r"\b(?:" + en + r")\b", re.I), tuple(zh.split())) for en, zh in SOURCE]


def concepts_en(text: str) -> frozenset[int]:
    """Indexes of the concepts an English text mentions."""
    return frozenset(k for k, (pattern, _zh) in enumerate(CONCEPTS) if pattern.search(text))


def concepts_zh(text: str) -> frozenset[int]:
    """Indexes of the concepts a Chinese text mentions."""
    return frozenset(k for k, (_pattern, forms) in enumerate(CONCEPTS) if any(f in text for f in forms))
