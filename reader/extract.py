"""Entity extraction for one article: known names, short references, discoveries.

This is the one place that decides which entities an article mentions; the
index stores its answer and the UI draws it, so both always agree.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reader.discovery import discover, short_references
from reader.entities import DISCOVERED, Entity, EntityList, discovered_id
from reader.matcher import Matcher, Mention, longest_first


@dataclass
class Extraction:
    mentions: list[Mention] = field(default_factory=list)  # sorted, non-overlapping
    discovered: dict[str, Entity] = field(default_factory=dict)  # discovered id -> entity

    def counts(self) -> dict[str, tuple[int, int, int]]:
        """entity id -> (number of mentions, first start, first end)."""
        result: dict[str, tuple[int, int, int]] = {}
        for m in self.mentions:
            if m.entity in result:
                n, s, e = result[m.entity]
                result[m.entity] = (n + 1, s, e)
            else:
                result[m.entity] = (1, m.start, m.end)
        return result

    def entity_ids(self) -> list[str]:
        return list(dict.fromkeys(m.entity for m in self.mentions))


class Extractor:
    """Holds the automaton for an entity list; extraction is then a pure function of the text."""

    def __init__(self, entity_list: EntityList, discovery: bool = True) -> None:
        self.entity_list = entity_list
        self.matcher = Matcher.from_list(entity_list)
        self.discovery = discovery

    def kind_of(self, entity_id: str, extraction: Extraction | None = None) -> str:
        entity = self.entity_list.get(entity_id)
        if entity is None and extraction is not None:
            entity = extraction.discovered.get(entity_id)
        return entity.kind if entity else ""

    def extract(self, text: str, article_id: str = "") -> Extraction:
        known = self.matcher.match(text)
        known = longest_first(known + short_references(text, known, self.entity_list))
        mentions = list(known)
        discovered: dict[str, Entity] = {}
        if self.discovery:
            for found in discover(text, known, self.entity_list):
                entity_id = discovered_id(found.name)
                if entity_id not in discovered:
                    discovered[entity_id] = Entity(
                        id=entity_id,
                        name=found.name,
                        kind=found.kind,
                        status=DISCOVERED,
                        evidence=found.evidence,
                        article=article_id,
                    )
                mentions.extend(Mention(s, e, entity_id) for s, e in found.spans)
        return Extraction(longest_first(mentions), discovered)
