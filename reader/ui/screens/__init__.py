"""Screens over the reader: search, mentions of an entity, merge, help."""
