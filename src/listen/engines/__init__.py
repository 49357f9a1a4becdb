"""Engines: the interface (`base`), engines by name (`registry`), the choice per language
(`auto`), and the built-in engines `espeak` (offline) and `gtts` (online)."""
