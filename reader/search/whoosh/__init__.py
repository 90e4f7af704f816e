"""The Whoosh engine's own parts: what makes the embedded index fast and
right beyond what Whoosh does alone.

- ``analysis``: the stemming analyzer, one pass per text;
- ``scoring``: BM25F with field lengths cached and read in one piece;
- ``fastmatch``: every match of a query scored a posting block at a time;
- ``datefilter`` and ``idfilter``: date ranges from the date column, and
  sets of article ids (the reading state's clauses) as query clauses;
- ``lexicon``: the index's words, for fuzzy terms and did-you-mean;
- ``bulkwriter``: indexing on every core;
- ``fixes``: mends to Whoosh 2.7.4 (a NOT that let deleted documents through);
- ``readers``: small helpers over Whoosh's segment readers and terms.
"""
