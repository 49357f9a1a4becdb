"""Text stages: decode a file, find its structure, split sentences, align the two languages."""
