"""Date ranges from the date column find exactly what Whoosh's numeric terms find."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from whoosh import query as Q
from whoosh.fields import DATETIME, ID, TEXT, Schema
from whoosh.filedb.filestore import RamStorage

from reader.search.whoosh.datefilter import DateQueryError, DateSpan, check_date_clauses

START = datetime(1987, 1, 1)


@pytest.fixture(scope="module")
def index():
    """Three segments of articles, some undated, some deleted."""
    schema = Schema(id=ID(stored=True, unique=True), body=TEXT, date=DATETIME(sortable=True))
    ix = RamStorage().create_index(schema)
    rng = random.Random(7)
    n = 0
    for _segment in range(3):
        writer = ix.writer()
        for _ in range(120):
            doc = {"id": str(n), "body": rng.choice(["oil price", "bank rate", "gold"])}
            if rng.random() > 0.1:
                doc["date"] = START + timedelta(days=rng.randrange(300), seconds=rng.randrange(86400))
            writer.add_document(**doc)
            n += 1
        writer.commit(merge=False)
    writer = ix.writer()
    for docid in rng.sample(range(n), 40):
        writer.delete_by_term("id", str(docid))
    writer.commit(merge=False)
    assert len(ix._segments()) >= 3
    return ix


def whoosh_range(schema, start, end, startexcl, endexcl):
    field = schema["date"]
    low = field.prepare_datetime(start) if start else None
    high = field.prepare_datetime(end) if end else None
    return Q.NumericRange("date", low, high, startexcl, endexcl)


def found(searcher, query) -> tuple[int, list[tuple[str, float]]]:
    results = searcher.search(query, limit=25)
    return len(results), [(hit["id"], round(hit.score, 6)) for hit in results]


@settings(max_examples=120, deadline=None)
@given(st.integers(-10, 310), st.integers(0, 320), st.booleans(), st.booleans(), st.booleans(), st.booleans(),
       st.sampled_from(["alone", "and", "not"]))
def test_same_documents_and_scores_as_whoosh(index, first, length, open_start, open_end, startexcl, endexcl, how):
    start = None if open_start else START + timedelta(days=first)
    end = None if open_end else START + timedelta(days=first + length, hours=5)
    theirs = whoosh_range(index.schema, start, end, startexcl, endexcl)
    ours = DateSpan.from_range(theirs, index.schema["date"].default)
    if how == "and":
        theirs, ours = Q.And([Q.Term("body", "oil"), theirs]), Q.And([Q.Term("body", "oil"), ours])
    elif how == "not":
        theirs, ours = Q.And([Q.Term("body", "bank"), Q.Not(theirs)]), Q.And([Q.Term("body", "bank"), Q.Not(ours)])
    with index.searcher() as searcher:
        assert found(searcher, ours) == found(searcher, theirs)


def test_undated_articles_never_match_an_open_range(index) -> None:
    ours = DateSpan("date", None, None, missing=index.schema["date"].default)
    with index.searcher() as searcher:
        dated = {hit["id"] for hit in searcher.search(ours, limit=None)}
        every = {hit["id"] for hit in searcher.search(Q.Every(), limit=None)}
        undated = every - {hit["id"] for hit in searcher.search(Q.Every("date"), limit=None)}
    assert undated and dated == every - undated


# --- date clauses that name no date or no range ------------------------------------------

@pytest.mark.parametrize("query, words", [
    ("date:[1988 to 1987]", "ends before it starts"),
    ("oil date:[1987-03-05 to 1987-03-01]", "ends before it starts"),
    ("date:{1987-04 to 1987-03}", "ends before it starts"),
    ("date:-1987", "is not a date"),
    ("date:1987~2", "is not a date"),
    ("date:>", "needs a date after it"),
    ("date:<=", "needs a date after it"),
    ("date:", "needs a date after it"),
    ("date:[to]", "has no end"),
    ("date:[1987-03-01 to", "is not closed"),
    ("date:[1987 1988]", "needs 'to'"),
    ("date:1987-02-30", "no day of the calendar"),
    ("date:>1987-13", "no day of the calendar"),
])
def test_a_date_clause_that_names_no_date_is_refused_in_words(query: str, words: str) -> None:
    with pytest.raises(DateQueryError) as refused:
        check_date_clauses(query)
    message = str(refused.value)
    assert words in message and "\n" not in message and "Error" not in message


@pytest.mark.parametrize("query", [
    "date:1987", "date:1987-03", "date:1987-03-01", "date:19870301", "date:1987*", "date:[1987-03-01 to 1987-03-01]",
    "date:[1987 to]", "date:[to 1987-06]", "date:{1987-01 to 1987-03}", "date:>1987-03", "date:<=1987",
    "date:(1987 OR 1988)", 'date:"1987"', "update:x mandate:y", "oil AND date:[1987-01 TO 1987-12]",
])
def test_date_clauses_that_name_dates_pass(query: str) -> None:
    check_date_clauses(query)
