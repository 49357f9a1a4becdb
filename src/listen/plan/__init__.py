"""Planning: every track as a list of spoken segments and silences (pure; no audio, no files).

`items` (the types) · `article` (the article's tracks) · `drill` (drill tracks).
"""
