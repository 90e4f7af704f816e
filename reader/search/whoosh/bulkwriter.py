"""Bulk indexing on every core, entity extraction included.

Whoosh's ``MpWriter`` forks sub-writers and hands them finished documents: the
parent process would still read, extract and build every document alone, and
on two cores it then shares a core with the sub-writers it feeds, so they wait
for it. Here the parent hands over the parsed article and its file state, and
each sub-writer extracts the entities and builds the document itself: the
parent does a tenth of the work and both cores index.

The sub-writers are forked, so they inherit the parent's extractor (the entity
list and its matcher) without copying it through a pipe.
"""

from __future__ import annotations

import pickle
from typing import Any, Callable

from whoosh.multiproc import MpWriter, SubWriterTask

# A job-file entry is (code, payload): Whoosh's own code 0 carries the fields
# of a document; ARTICLE carries (article, file state) for ``build``.
ARTICLE = 1

BuildFn = Callable[[Any, Any], dict[str, Any]]


class SubWriterFailed(RuntimeError):
    """A sub-writer process died: its segment is missing, so nothing is committed."""


class _ArticleSubWriter(SubWriterTask):
    def __init__(self, *args: Any, build: BuildFn) -> None:
        super().__init__(*args)
        self.build = build

    def _process_file(self, filename: str, doc_count: int) -> None:
        writer = self.writer
        storage = writer.temp_storage()
        with storage.open_file(filename).raw_file() as f:
            for _ in range(doc_count):
                code, payload = pickle.load(f)
                writer.add_document(**(self.build(*payload) if code == ARTICLE else payload))
        storage.delete_file(filename)


class ArticleMpWriter(MpWriter):
    """``MpWriter`` that also takes articles to be built into documents by the
    sub-writers (``add_article``)."""

    def __init__(self, ix: Any, build: BuildFn, **kwargs: Any) -> None:
        self.build = build
        super().__init__(ix, **kwargs)

    def add_article(self, article: Any, state: Any) -> None:
        self.docbuffer.append((ARTICLE, (article, state)))
        if not self._grouping and len(self.docbuffer) >= self.batchsize:
            self._enqueue()
        self._added_sub = True

    def _new_task(self) -> Any:
        task = _ArticleSubWriter(
            self.storage, self.indexname, self.jobqueue, self.resultqueue, self.subargs, self.multisegment,
            build=self.build,
        )
        self.tasks.append(task)
        task.start()
        return task

    def _commit_toc(self, segments: Any) -> None:
        # Whoosh collects the sub-writers' segments with a one-second timeout
        # and goes on without a missing one: a sub-writer that died would lose
        # its documents silently. Commit only when every one finished.
        failed = [task.exitcode for task in self.tasks if task.exitcode != 0]
        if failed:
            raise SubWriterFailed(f"an indexing process failed (exit code {failed[0]})")
        super()._commit_toc(segments)
