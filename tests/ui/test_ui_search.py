"""Search as you type, hits in the article, n/N, did-you-mean, errors."""

from __future__ import annotations


from reader.ui.app import ReaderApp
from reader.ui.kinds import component_style
from reader.ui.screens.search import SearchScreen

from ui_helpers import SIZE, screen_text, settle

SENSENOVA = {"waic-2024-preview", "waic-2024-opening-speakers", "china-powers-global-ai-innovation"}


async def search_for(pilot, text: str) -> SearchScreen:
    app: ReaderApp = pilot.app
    if not isinstance(app.screen, SearchScreen):
        await pilot.press("slash")
        await pilot.pause()
    screen = app.screen
    assert isinstance(screen, SearchScreen)
    screen.input.value = ""
    await pilot.press(*text)
    await settle(pilot)
    return screen


async def test_search_as_you_type(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await search_for(pilot, "SenseNova")
        assert screen.result is not None and screen.result.query == "SenseNova"
        assert {hit.id for hit in screen.result.hits} == SENSENOVA
        assert screen.results.option_count == 3
        text = screen_text(app)
        assert "3 articles" in text
        assert "SenseNova 5.5" in text  # the snippet
        # The hit is highlighted inside the snippet.
        prompt = screen.results.get_option_at_index(0).prompt
        hit_style = component_style(screen, "search--hit")
        highlighted = [prompt.plain[s.start:s.end] for s in prompt.spans if s.style == hit_style]
        assert highlighted and all(h.lower() == "sensenova" for h in highlighted)
        # A rule between hits (none after the last): where one ends is plain to see.
        rules = [line for line in text.splitlines() if line.strip() and set(line.strip()) == {"─"}]
        assert len(rules) == 2


async def test_stale_results_are_dropped(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await search_for(pilot, "SenseNova")
        stale = app.library.search("Qualcomm")
        screen.show_result("Qualcomm", stale)  # arrives after the user typed on
        assert {hit.id for hit in screen.result.hits} == SENSENOVA


async def test_fuzzy_query_finds_qualcomm(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await search_for(pilot, "Qualcom~")
        ids = {hit.id for hit in screen.result.hits}
        assert "waic-qualcomm-sole-us-sponsor" in ids
        assert ids == {h.id for h in app.library.search("Qualcom~", limit=50).hits}


async def test_entity_field_query(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await search_for(pilot, "person:Musk")
        assert {hit.id for hit in screen.result.hits} == {"waic-2024-preview", "waic-2024-opening-speakers"}


async def test_enter_opens_result_at_first_hit_and_n_moves(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await search_for(pilot, "China")
        await pilot.press("enter")  # to the results
        assert app.screen.results.has_focus
        first = app.screen.result.hits[0]
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, SearchScreen)
        view = app.view
        assert view.article.id == first.id
        assert len(view.hits) > 2
        assert view.hit_index == 0
        assert all(view.article.body[s:e].lower().startswith("china") for s, e in view.hits)
        await pilot.press("n")
        assert view.hit_index == 1
        await pilot.press("n", "n")
        assert view.hit_index == 3 % len(view.hits)
        await pilot.press("N")
        assert view.hit_index == 2 % len(view.hits)
        current = component_style(view, "hit--current")
        line = view.line_content(view.line_of(view.hits[view.hit_index][0]))
        assert current in [s.style for s in line.spans]
        await pilot.press("escape")  # clears the hits
        assert view.hits == []


async def test_down_from_input_and_escape_back(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        before = app.view.article.id
        await search_for(pilot, "SenseTime")
        await pilot.press("down")
        assert app.screen.results.has_focus
        await pilot.press("escape")
        assert not isinstance(app.screen, SearchScreen)
        assert app.view.article.id == before
        # The query is kept for the next search.
        await pilot.press("slash")
        await settle(pilot)
        assert app.screen.input.value == "SenseTime"
        assert app.screen.results.option_count > 0


async def test_suggestion_offered_and_applied(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await search_for(pilot, "sensnova")
        assert screen.suggestion == "sensenova"
        assert "Did you mean: sensenova" in screen_text(app)
        await pilot.press("tab")
        await settle(pilot)
        assert screen.input.value == "sensenova"
        assert {hit.id for hit in screen.result.hits} == SENSENOVA
        screen = await search_for(pilot, "qualcomn")
        assert screen.suggestion
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert screen.input.value == screen.result.query
        assert screen.result.total > 0


async def test_invalid_query_shows_message(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        from reader.search import QueryError

        bad = None
        for candidate in ('date:[2024 to', 'title:(', '"unclosed', 'date:notadate', 'AND', 'x~9'):
            try:
                app.library.search(candidate)
            except QueryError as error:
                bad = (candidate, str(error))
                break
        assert bad is not None, "no invalid query found"
        screen = await search_for(pilot, bad[0])
        assert screen.result is None
        assert bad[1] in screen_text(app)
        assert app.is_running


async def test_sort_by_date(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await search_for(pilot, "China")
        await pilot.press("ctrl+o")
        await settle(pilot)
        assert screen.sort == "date"
        assert "sorted by date" in screen_text(app)


async def test_the_word_being_typed_is_a_prefix(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await search_for(pilot, "Sense")
        assert screen.result is not None and screen.result.total > 0
        assert {hit.id for hit in screen.result.hits} >= SENSENOVA
        text = screen_text(app)
        assert "0 articles" not in text and "Did you mean" not in text
        # A space finishes the word: now it is matched whole, and nothing has it.
        await pilot.press("space")
        await settle(pilot)
        assert screen.result is not None and screen.result.total == 0
        assert "0 articles" in screen_text(app)


async def test_a_hit_in_the_title_is_highlighted_in_the_results_and_the_title_block(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await search_for(pilot, "Qualcom~")
        hit_style = component_style(screen, "search--hit")
        number = next(i for i, hit in enumerate(screen.result.hits) if hit.id == "waic-qualcomm-sole-us-sponsor")
        prompt = screen.results.get_option(str(number)).prompt
        title_line = prompt.plain.split("\n", 1)[0]
        marked = [prompt.plain[s.start:s.end] for s in prompt.spans if s.style == hit_style and s.end <= len(title_line)]
        assert marked == ["Qualcomm"]
        screen.results.focus()
        screen.results.highlighted = screen.results.get_option_index(str(number))
        await pilot.press("enter")
        await settle(pilot)
        view = app.view
        assert view.article is not None and view.article.id == "waic-qualcomm-sole-us-sponsor"
        hit = view._style("hit")
        title = view.title_content
        assert [title.plain[s.start:s.end] for s in title.spans if s.style == hit] == ["Qualcomm"]
        # Esc clears the hits, in the title too.
        await pilot.press("escape")
        await settle(pilot)
        assert not [s for s in view.title_content.spans if s.style == hit]


async def test_an_unknown_field_says_which_fields_exist(app: ReaderApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        screen = await search_for(pilot, "foo:bar")
        assert screen.result is None
        text = screen_text(app)
        assert "unknown field 'foo:'" in text and "person" in text and "title" in text
