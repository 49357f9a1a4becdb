"""Dictionary coverage of paragraphs: how much of an English paragraph a Chinese one translates.

For each English paragraph, its content words that CC-CEDICT can translate (`dictionary`); for each
Chinese paragraph, which of the document's English words it holds a translation of (every
substring of the paragraph looked up in a reverse index built for this document's words only).
The coverage of a bead is the share of its English words translated somewhere in its Chinese
paragraphs: about 0.45 for a paragraph and its translation, under 0.1 for a neighbour that does
not translate it. It is what tells an untranslated intro from the translation next to it when
their lengths say nothing.
"""

from __future__ import annotations

from .dictionary import Dictionary, content_words

__all__ = ["Coverage"]

_LONGEST = 8  # Chinese words longer than this are not looked for


class Coverage:
    """Translatable English words per paragraph and, per Chinese paragraph, those it translates."""

    def __init__(self, en: list[str], zh: list[str], dictionary: Dictionary):
        self.words: list[frozenset[str]] = []
        reverse: dict[str, set[str]] = {}
        for text in en:
            words = set()
            for word in set(content_words(text)):
                translations = dictionary.translations(word)
                if translations:
                    words.add(word)
                    for t in translations:
                        if len(t) <= _LONGEST:
                            reverse.setdefault(t, set()).add(word)
            self.words.append(frozenset(words))
        longest = max((len(t) for t in reverse), default=0)
        self.found: list[frozenset[str]] = []
        for text in zh:
            found: set[str] = set()
            for start in range(len(text)):
                for end in range(start + 2, min(len(text), start + longest) + 1):
                    hit = reverse.get(text[start:end])
                    if hit:
                        found |= hit
            self.found.append(frozenset(found))

    def share(self, en: range, zh: range) -> tuple[int, int]:
        """(English words of paragraphs `en` translated in paragraphs `zh`, translatable ones)."""
        words = frozenset().union(*(self.words[i] for i in en))
        found = frozenset().union(*(self.found[j] for j in zh))
        return len(words & found), len(words)

    def untranslated(self, en: range, zh: range) -> bool:
        """A paragraph of a merged bead translates nothing of the other side: an English one (of
        five words or more) none of whose words is in the Chinese, or a Chinese one that holds
        none of the English words."""
        if len(en) > 1:
            found = frozenset().union(*(self.found[j] for j in zh))
            if any(len(self.words[i]) >= 5 and not self.words[i] & found for i in en):
                return True
        if len(zh) > 1:
            words = frozenset().union(*(self.words[i] for i in en))
            if len(words) >= 5 and any(not self.found[j] & words for j in zh):
                return True
        return False
