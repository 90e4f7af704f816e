"""The coverage grid on the bundled corpus: the domain and `reader grid`,
checked against the index's own mention counts (`reader mentions`)."""

from __future__ import annotations

import csv
import io
import json
from contextlib import closing
from pathlib import Path

import pytest

from reader.cli import main
from reader.entities import KINDS
from reader.grid import DEFAULT_KINDS, GridArticle, build_grid
from reader.library import Library


@pytest.fixture
def library(articles_copy: Path, tmp_path: Path):
    with closing(Library(articles_copy, tmp_path / "index")) as lib:
        lib.update()
        yield lib


def run(capsys: pytest.CaptureFixture[str], articles: Path, index: Path, *args: str) -> tuple[int, str, str]:
    code = main(["--articles", str(articles), "--index", str(index), *args])
    out, err = capsys.readouterr()
    return code, out, err


def mention_counts(capsys, articles: Path, index: Path, article_ids: list[str]) -> dict[tuple[str, str], int]:
    """(entity, article) -> mentions, as `reader mentions` lists them."""
    counts: dict[tuple[str, str], int] = {}
    for article_id in article_ids:
        code, out, _err = run(capsys, articles, index, "mentions", article_id, "--json")
        assert code == 0
        for mention in json.loads(out)["mentions"]:
            key = (mention["entity"], article_id)
            counts[key] = counts.get(key, 0) + 1
    return counts


def test_grid_counts_are_the_articles_mentions(library: Library, articles_copy: Path, tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    grid = library.grid(kind="all")
    ids = [a.id for a in grid.articles]
    assert sorted(ids) == sorted(r.id for r in library.rows())
    expected = mention_counts(capsys, articles_copy, tmp_path / "index", ids)
    got = {(e.id, ids[column]): n for e in grid.entities for column, (n, _s) in e.cells.items()}
    assert got == expected
    for entity in grid.entities:
        assert entity.mentions == sum(n for n, _s in entity.cells.values())


def test_default_is_people_and_companies_and_kind_filters(library: Library) -> None:
    everything = library.grid(kind="all")
    assert {e.kind for e in library.grid().entities} == set(DEFAULT_KINDS)
    for kind in KINDS:
        rows = library.grid(kind=kind).entities
        assert [e.id for e in rows] == [e.id for e in library.grid(kind="all").entities if e.kind == kind]
    assert len(everything.entities) == sum(len(library.grid(kind=k).entities) for k in KINDS)
    with pytest.raises(ValueError):
        library.grid(kind="planet")


def test_sorts(library: Library) -> None:
    by_count = library.grid(sort="count").entities
    assert [e.mentions for e in by_count] == sorted((e.mentions for e in by_count), reverse=True)
    by_articles = library.grid(sort="articles").entities
    assert [e.articles for e in by_articles] == sorted((e.articles for e in by_articles), reverse=True)
    by_name = library.grid(sort="name").entities
    assert [e.name.lower() for e in by_name] == sorted(e.name.lower() for e in by_name)
    by_first = [e.first for e in library.grid(sort="first").entities]
    dated = [f for f in by_first if f]
    assert dated == sorted(dated) and by_first == dated + [""] * (len(by_first) - len(dated))


def test_first_is_the_earliest_article_date_and_offsets_match(library: Library) -> None:
    grid = library.grid(kind="all")
    for row, entity in enumerate(grid.entities):
        dates = [grid.articles[c].date for c in entity.cells if grid.articles[c].date]
        assert entity.first == (min(dates) if dates else "")
        for column in entity.cells:
            refs = {r.id: r for r in library.articles_for(entity.id)}
            assert grid.first_offset(row, column) == refs[grid.articles[column].id].first[0]


NEW_NAMES = """Halvor Brekke, the founder of Tindra Labs, said on Tuesday that the
start-up would show its sorting robot in Shanghai.

Brekke said Tindra Labs had hired forty engineers this year.
"""


def test_grid_is_kept_per_generation_and_follows_curating(library: Library, articles_copy: Path) -> None:
    (articles_copy / "new-names.md").write_text(
        f"---\nid: new-names\ntitle: A sorting robot\ndate: 2024-07-06\n---\n{NEW_NAMES}", encoding="utf-8")
    library.update()
    first = library.grid_cache.grid()
    assert library.grid_cache.grid() is first  # same generation: not read again
    name = next(e.name for e in library.grid(kind="all").entities if e.status == "discovered")
    library.curate("reject", name)
    after = library.grid_cache.grid()
    assert after is not first
    assert name not in {e.name for e in after.entities}


def test_timeline_buckets_follow_the_date_span() -> None:
    class NoList:
        def get(self, _id: str) -> None:
            return None

    def stored(article_id: str, date: str) -> dict:
        return {"id": article_id, "title": article_id, "date_text": date,
                "entities": {"x": [2, 5, 6]}, "discovered": {"x": ["X Corp", "company", "rule"]}}

    days = build_grid([stored("a", "2024-07-01"), stored("b", "2024-07-03"), stored("u", "")], NoList())
    assert days.timeline(0) == [("2024-07-01", 2), ("2024-07-02", 0), ("2024-07-03", 2)]
    assert days.undated_mentions(0) == 2 and days.articles[-1].id == "u"
    months = build_grid([stored("a", "1987-02-26"), stored("b", "1987-04-01"), stored("c", "1987-10-19T10:00")],
                        NoList())
    assert [label for label, _n in months.timeline(0)][:3] == ["1987-02", "1987-03", "1987-04"]
    assert sum(n for _l, n in months.timeline(0)) == 6
    assert months.articles[-1] == GridArticle("c", "c", "1987-10-19T10:00")


def test_cli_json_and_csv_agree_with_mentions(articles_copy: Path, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    index = tmp_path / "index"
    code, out, _ = run(capsys, articles_copy, index, "grid", "--kind", "all", "--format", "json")
    assert code == 0
    data = json.loads(out)
    ids = [a["id"] for a in data["articles"]]
    expected = mention_counts(capsys, articles_copy, index, ids)
    assert {(data["entities"][e]["id"], ids[a]): n for e, a, n in data["counts"]} == expected
    assert set(data["entities"][0]) == {"id", "name", "kind", "mentions", "articles", "first"}

    code, out, _ = run(capsys, articles_copy, index, "grid", "--kind", "all", "--format", "csv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0][3:] == ids
    cells = {(r[0], ids[i]): int(v) for r in rows[1:] for i, v in enumerate(r[3:]) if v}
    assert cells == expected
    assert all(len(r) == len(rows[0]) for r in rows)


def test_cli_text_sort_and_bad_input(articles_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    index = tmp_path / "index"
    code, out, _ = run(capsys, articles_copy, index, "grid", "--kind", "person", "--format", "json",
                       "--sort", "name")
    names = [e["name"] for e in json.loads(out)["entities"]]
    assert code == 0 and names == sorted(names, key=str.lower)
    code, out, _ = run(capsys, articles_copy, index, "grid")
    top = json.loads(run(capsys, articles_copy, index, "grid", "--format", "json")[1])["entities"][0]
    assert code == 0 and top["name"] in out.splitlines()[1] and str(top["mentions"]) in out.splitlines()[1]
    for bad in (("--kind", "planet"), ("--sort", "size")):
        code, out, err = run(capsys, articles_copy, index, "grid", *bad)
        assert code == 2 and out == "" and len(err.strip().splitlines()) == 1 and bad[1] in err
