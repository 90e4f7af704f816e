"""What extraction found in one article: its mentions and discovered entities.

Kept apart from ``reader.extract`` (which compiles the discovery rules when
imported) so that the reader's UI can start without loading the extractor.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reader.entities import Entity
from reader.matcher import Mention
from reader.tagger.base import Span


@dataclass
class Extraction:
    mentions: list[Mention] = field(default_factory=list)  # sorted, non-overlapping
    discovered: dict[str, Entity] = field(default_factory=dict)  # discovered id -> entity
    title_mentions: list[Mention] = field(default_factory=list)  # offsets into the title
    # short forms given to their full name across the corpus (reader.links):
    # discovered id -> (name, kind), as the article found them
    linked: dict[str, tuple[str, str]] = field(default_factory=dict)
    # the trained tagger's spans of the text it read (the title, TITLE_SEPARATOR
    # and the body), or None where no tagger ran
    tagged: list[Span] | None = None

    def counts(self) -> dict[str, tuple[int, int, int]]:
        """entity id -> (number of mentions, title included; first start and
        end in the body, or 0, 0 for an entity that only the title names)."""
        result: dict[str, tuple[int, int, int]] = {}
        for m in self.mentions:
            if m.entity in result:
                n, s, e = result[m.entity]
                result[m.entity] = (n + 1, s, e)
            else:
                result[m.entity] = (1, m.start, m.end)
        for m in self.title_mentions:
            n, s, e = result.get(m.entity, (0, 0, 0))
            result[m.entity] = (n + 1, s, e)
        return result

    def entity_ids(self) -> list[str]:
        return list(dict.fromkeys(m.entity for m in self.title_mentions + self.mentions))
