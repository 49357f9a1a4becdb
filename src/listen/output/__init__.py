"""Output: the manifest contract (`manifest`) and switching an article folder over (`commit`)."""
