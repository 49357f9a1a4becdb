"""Alignment: the one bead aligner (`beads`) over the shared evidence (`signals`, `lexicon`,
`dictionary`), for paragraphs (`paragraphs`) and for the sentences inside each pair
(`sentences`); manual alignments (`spec`)."""

from .paragraphs import align
from .spec import format_pairs, parse_pairs

__all__ = ["align", "format_pairs", "parse_pairs"]
