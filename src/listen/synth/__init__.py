"""Synthesis: the segment cache (`cache`), text chunking (`chunk`), retries (`retry`) and the
`Synthesizer` that runs engines over them (`synthesizer`)."""
