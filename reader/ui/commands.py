"""Command palette providers: go to an article or an entity by fuzzy name.

Candidates are precomputed by the app after each load. A search first keeps
the candidates that hold the query's letters in order (one compiled regular
expression, run in C), then scores at most ``SCORED`` of them with Textual's
fuzzy matcher, so a key press stays fast with 19,000 titles."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from textual.command import CommandPalette, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import FuzzySearch
from textual.style import Style

if TYPE_CHECKING:
    from reader.ui.app import ReaderApp

SCORED = 400
SHOWN = 20
PLACEHOLDER = "Find an article, an entity or an action…"
# The palette lists hits by score, highest first; Textual's own commands
# score by its fuzzy matcher, a few units at most: the reader's hits score
# above any of them, so its entries come first.
OURS = 1_000_000.0
MATCH_STYLE = Style(bold=True, underline=True)


@dataclass(frozen=True)
class Candidate:
    text: str  # what is matched and shown (sanitised by the domain)
    target: str  # article id or entity id
    help: str  # our own words only: the palette parses help as markup


def _subsequence(query: str) -> re.Pattern[str]:
    return re.compile(".*?".join(re.escape(char) for char in query), re.IGNORECASE | re.DOTALL)


def rank(query: str, candidates: list[Candidate], fuzzy: FuzzySearch) -> list[tuple[float, Candidate, Content]]:
    query = query.strip()
    if not query:
        return []
    lowered = query.lower()
    exact = [c for c in candidates if lowered in c.text.lower()]
    if len(exact) < SCORED:
        pattern = _subsequence(lowered)
        chosen = set(exact)
        exact += [c for c in candidates if c not in chosen and pattern.search(c.text)][: SCORED - len(exact)]
    scored = []
    for candidate in exact[:SCORED]:
        score, offsets = fuzzy.match(lowered, candidate.text)
        if score <= 0:
            continue
        content = Content(candidate.text)
        for offset in offsets:
            content = content.stylize(MATCH_STYLE, offset, offset + 1)
        scored.append((score, candidate, content))
    scored.sort(key=lambda item: -item[0])
    return scored[:SHOWN]


class _ReaderProvider(Provider):
    kind = ""

    @property
    def reader_app(self) -> "ReaderApp":
        return self.app  # type: ignore[return-value]

    def candidates(self) -> list[Candidate]:
        raise NotImplementedError

    def open(self, target: str) -> None:
        raise NotImplementedError

    async def search(self, query: str) -> Hits:
        ranked = rank(query, self.candidates(), FuzzySearch())
        top = max((score for score, _c, _t in ranked), default=1.0) or 1.0
        for score, candidate, content in ranked:
            yield Hit(OURS + score / top, content, partial(self.open, candidate.target),
                      text=candidate.text, help=candidate.help)

    async def discover(self) -> Hits:
        # Hits, not DiscoveryHits (whose score is 0, as Textual's own): listed first.
        for candidate in self.candidates()[:8]:
            yield Hit(OURS, Content(candidate.text), partial(self.open, candidate.target),
                      text=candidate.text, help=candidate.help)


def open_palette(app: "ReaderApp") -> None:
    """The command palette, saying what it finds."""
    if app.use_command_palette and not CommandPalette.is_open(app):
        app.push_screen(CommandPalette(id="--command-palette", placeholder=PLACEHOLDER))


class ArticleCommands(_ReaderProvider):
    """Go to an article by title."""

    def candidates(self) -> list[Candidate]:
        return self.reader_app.palette_articles

    def open(self, target: str) -> None:
        self.reader_app.go_to_article(target)


class EntityCommands(_ReaderProvider):
    """Go to an entity: list its mentions across the corpus."""

    def candidates(self) -> list[Candidate]:
        return self.reader_app.palette_entities

    def open(self, target: str) -> None:
        self.reader_app.show_mentions(target)


# Screens the palette opens by name: (what is matched and shown, the app's action).
ACTIONS = (
    Candidate("Coverage grid: people and companies by articles", "grid", "Mention counts per entity and article"),
)


class ActionCommands(_ReaderProvider):
    """Open one of the reader's screens."""

    def candidates(self) -> list[Candidate]:
        return list(ACTIONS)

    def open(self, target: str) -> None:
        getattr(self.reader_app, f"action_{target}")()


class SavedSearchCommands(_ReaderProvider):
    """Run a saved search (with its unread count)."""

    def candidates(self) -> list[Candidate]:
        return self.reader_app.saved_candidates

    def open(self, target: str) -> None:
        self.reader_app.run_saved_search(target)
