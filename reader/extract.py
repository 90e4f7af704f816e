"""Entity extraction for one article: known names, short references, discoveries.

This is the one place that decides which entities an article mentions; the
index stores its answer and the UI draws it, so both always agree.
"""

from __future__ import annotations

import re
from functools import cached_property

from reader.discovery import discover, family_name, short_references
from reader.entities import DISCOVERED, Entity, EntityList, discovered_id, name_key
from reader.extraction import Extraction
from reader.matcher import Matcher, Mention, longest_first
from reader.tagger.base import Span
from reader.links import Links, apply_links
from reader.tagged_names import readings

# Between the title and the body when both are read as one text: a paragraph
# break, so that no name runs from one into the other.
TITLE_SEPARATOR = "\n\n"


class Extractor:
    """Holds the automaton for an entity list; extraction is then a pure function of the text.

    The automaton and the role table are built when the first article is
    read: on a list of 350,000 entities that takes seconds, which a curating
    step that reads no article again never pays."""

    def __init__(self, entity_list: EntityList, discovery: bool = True, tagger: str | None = None) -> None:
        from reader.tagger import get_tagger

        self.entity_list = entity_list
        self.discovery = discovery
        # The trained tagger finds the names no rule has a cue for.
        self.tagger = get_tagger(tagger) if discovery else None
        # Short forms the corpus gives to one full name (set by the index).
        self.links: Links = {}
        self._ignored = entity_list.ignored()

    def ready(self) -> "Extractor":
        """This extractor with its automaton and role table built (before a
        fork, so that the children inherit them instead of each building them)."""
        _ = self.matcher, self._role_table  # each built on first access
        return self

    @cached_property
    def matcher(self) -> Matcher:
        return Matcher.from_list(self.entity_list)

    @cached_property
    def _role_table(self) -> tuple[dict[tuple[str, str], str], re.Pattern[str] | None]:
        return _role_table(self.entity_list)

    def kind_of(self, entity_id: str, extraction: Extraction | None = None) -> str:
        entity = self.entity_list.get(entity_id)
        if entity is None and extraction is not None:
            entity = extraction.discovered.get(entity_id)
        return entity.kind if entity else ""

    def role_references(self, text: str) -> list[Mention]:
        """"Premier Li": a title the list gives exactly one person, then that
        person's family name, means that person even where the article never
        names them in full."""
        roles, pattern = self._role_table
        if pattern is None:
            return []
        found = []
        for match in pattern.finditer(text):
            entity_id = roles.get((" ".join(match.group("title").lower().split()), match.group("family")))
            if entity_id and name_key(match.group()) not in self._ignored:
                found.append(Mention(match.start(), match.end(), entity_id))
        return found

    def known_mentions(self, text: str, title_end: int = 0) -> list[Mention]:
        """Mentions of the list's entities only: names, role references and
        short references, without discovery (which costs several times more)."""
        known = longest_first(self.matcher.match(text) + self.role_references(text))
        return longest_first(known + short_references(text, known, self.entity_list, title_end))

    def extract(self, text: str, article_id: str = "", title: str = "", linked: bool = True,
                tagged: list[Span] | None = None) -> Extraction:
        """The entities of an article's body and, when given, of its title.

        The title is read with the body, as the first paragraph of one text,
        so that a name gets the same entity in both; the title's mentions come
        back apart (``title_mentions``), with offsets into the title. The
        corpus's links (``links``) are applied unless ``linked`` is false.
        ``tagged``: the tagger's spans of this same text from an earlier
        reading (``Extraction.tagged``), used instead of running it again."""
        title = " ".join(title.split())
        if not title:
            found = self._extract(text, article_id, 0, tagged)
        else:
            joined = title + TITLE_SEPARATOR + text
            both = self._extract(joined, article_id, len(title), tagged)
            skip = len(title) + len(TITLE_SEPARATOR)
            body = [Mention(m.start - skip, m.end - skip, m.entity) for m in both.mentions if m.start >= skip]
            head = [m for m in both.mentions if m.end <= len(title)]
            found = Extraction(body, both.discovered, head, tagged=both.tagged)
        return apply_links(found, self.links) if linked and self.links else found

    def _extract(self, text: str, article_id: str, title_end: int, spans: list[Span] | None = None) -> Extraction:
        known = self.known_mentions(text, title_end)
        mentions = list(known)
        discovered: dict[str, Entity] = {}
        if not self.discovery or self.tagger is None:
            spans = None
        elif spans is None:
            spans = self.tagger.tag(text).spans
        if self.discovery:
            tagged = readings(text, spans) if spans is not None else ()
            for found in discover(text, known, self.entity_list, tagged, title_end):
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
        return Extraction(longest_first(mentions), discovered, tagged=spans)


def _role_table(entity_list: EntityList) -> tuple[dict[tuple[str, str], str], re.Pattern[str] | None]:
    """(title, family name) -> person id for the people the list gives roles,
    when exactly one person has that pair, and a pattern that finds the pairs
    as a capitalised title before the family name ("Premier Li")."""
    owners: dict[tuple[str, str], set[str]] = {}
    for entity in entity_list:
        if entity.kind != "person":
            continue
        families = {family_name(n) for n in entity.names if len(n.split()) > 1} - {None}
        for role in entity.roles:
            title = " ".join(role.title.lower().split())
            if not title or "," in title or len(title.split()) > 3:
                continue
            for family in families:
                owners.setdefault((title, family), set()).add(entity.id)  # type: ignore[arg-type]
    table = {pair: next(iter(ids)) for pair, ids in owners.items() if len(ids) == 1}
    if not table:
        return table, None
    titles = sorted({t for t, _ in table}, key=len, reverse=True)
    families = sorted({f for _, f in table}, key=len, reverse=True)
    pattern = re.compile(
        r"(?<![\w-])(?P<title>(?=[A-Z])(?i:" + "|".join(r"\s+".join(map(re.escape, t.split())) for t in titles) + r"))"
        r"\s+(?P<family>" + "|".join(map(re.escape, families)) + r")(?![\w-])"
    )
    return table, pattern
