"""Built articles taken elsewhere: Anki decks (listen.export.anki)."""
