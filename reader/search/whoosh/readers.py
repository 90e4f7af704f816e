"""Small helpers over Whoosh's readers and terms, shared by the index and
the query clauses."""

from __future__ import annotations

from typing import Any

from whoosh import query as Q
from whoosh.matching import ListMatcher, NullMatcher


def segment_readers(reader: Any) -> list[Any]:
    """The per-segment readers of a Whoosh reader (the reader itself for one segment)."""
    return [sub for sub, _offset in reader.leaf_readers()] if hasattr(reader, "leaf_readers") else [reader]


def term_text(term: str | bytes) -> str:
    """A term as text: Whoosh's lexicons hand back UTF-8 bytes, its queries str."""
    return term.decode("utf-8") if isinstance(term, bytes) else term


class DocnumsQuery(Q.Query):
    """A leaf clause answered outside Whoosh's terms: a subclass gives the
    sorted document numbers it matches in one segment (``_docnums``), each
    scored ``boost``, and this hands them to Whoosh as a ListMatcher (which
    reader.search.whoosh.fastmatch reads in bulk). The date ranges and the
    reading state's id sets are such clauses."""

    fieldname: str
    boost: float

    def _docnums(self, reader: Any) -> list[int]:
        raise NotImplementedError

    def is_leaf(self) -> bool:
        return True

    def field(self) -> str:
        return self.fieldname

    def estimate_size(self, ixreader: Any) -> int:
        return sum(len(self._docnums(r)) for r in segment_readers(ixreader))

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        docnums = self._docnums(searcher.reader())
        if not docnums:
            return NullMatcher()
        return ListMatcher(docnums, all_weights=self.boost)

    def docs(self, searcher: Any) -> Any:
        return iter(self._docnums(searcher.reader()))
