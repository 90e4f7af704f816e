"""The quotes ledger: who said what, and where, across the corpus.

The quotations are found when an article is indexed (reader.quotes) and
stored with its document, their speakers as the article named them before
the corpus's links (a "Volcker" that the corpus knows as Paul Volcker). Here
they are read back with the links and the entity list of now, so that
curating a name (accepting, merging) moves its quotes with it, and kept per
index generation: the corpus-wide ledger reads every stored document once."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from whoosh import query as Q

from reader.quotes import Quote

if TYPE_CHECKING:
    from reader.index import ArticleIndex


@dataclass(frozen=True)
class LedgerQuote:
    """One quotation of one article, its speaker as the corpus knows it now."""

    article: str
    title: str
    date: str
    start: int
    end: int
    text: str
    speaker_id: str | None
    speaker_name: str | None
    cue: str | None

    def as_dict(self) -> dict[str, Any]:
        speaker = None if self.speaker_name is None else {"id": self.speaker_id, "name": self.speaker_name}
        return {"article": self.article, "start": self.start, "end": self.end, "text": self.text,
                "speaker": speaker, "cue": self.cue}


class QuoteLedger:
    def __init__(self, index: "ArticleIndex") -> None:
        self.index = index
        self._all: list[LedgerQuote] | None = None
        self._generation: int | None = None
        self._lock = threading.Lock()

    # --- reading ---------------------------------------------------------------------

    def _speaker(self, speaker_id: str | None, name: str | None,
                 discovered: dict[str, Any]) -> tuple[str | None, str | None]:
        """The speaker's id and name now: through the corpus's links, then the
        entity list (a curated name), then what the article's document says."""
        if speaker_id is None:
            return None, name
        link = self.index.links.get(speaker_id)
        if link is not None:
            speaker_id, name = link[0], link[1]
        known = self.index.entity_list.get(speaker_id)
        if known is not None:
            return known.id, known.name
        found = discovered.get(speaker_id)
        if found:
            return speaker_id, found[0]
        return speaker_id, name

    def _of(self, stored: dict[str, Any]) -> list[LedgerQuote]:
        rows = stored.get("quotes") or []
        if not rows:
            return []
        discovered = stored.get("discovered") or {}
        article, title, date = stored.get("id", ""), stored.get("title", ""), stored.get("date_text", "")
        out = []
        for row in rows:
            q = Quote.unpack(row)
            speaker_id, name = self._speaker(q.speaker_id, q.speaker_name, discovered)
            out.append(LedgerQuote(article, title, date, q.start, q.end, q.text, speaker_id, name, q.cue))
        return out

    def _everything(self) -> list[LedgerQuote]:
        with self._lock:
            generation = self.index.ix.latest_generation()
            if self._all is None or self._generation != generation:
                with self.index.searching() as searcher:
                    quotes = [q for f in searcher.reader().all_stored_fields() for q in self._of(f)]
                quotes.sort(key=_order)
                self._all, self._generation = quotes, generation
            return self._all

    # --- questions -------------------------------------------------------------------

    def quotes(self, speaker: str | None = None, article: str | None = None) -> list[LedgerQuote]:
        """Quotations, oldest article first and in reading order: of one
        article, of one speaker (an entity id), or all of them."""
        if article is not None:
            with self.index.searching() as searcher:
                docnum = searcher.document_number(id=article)
                found = self._of(dict(searcher.stored_fields(docnum))) if docnum is not None else []
        elif speaker is not None and self._all is None:
            # Only the articles that name the speaker: no need to read the corpus.
            with self.index.searching() as searcher:
                found = [q for docnum in searcher.docs_for_query(Q.Term("entity", speaker))
                         for q in self._of(searcher.stored_fields(docnum))]
        else:
            found = self._everything()
        if speaker is not None:
            found = [q for q in found if q.speaker_id == speaker]
        return sorted(found, key=_order)

    def speakers(self) -> dict[str, int]:
        """Every speaker's id with their number of quotations."""
        counts: dict[str, int] = {}
        for q in self._everything():
            if q.speaker_id is not None:
                counts[q.speaker_id] = counts.get(q.speaker_id, 0) + 1
        return counts


def _order(q: LedgerQuote) -> tuple[bool, str, str, int]:
    return (not q.date, q.date, q.article, q.start)
