"""Search as you type: each change of the query runs in an exclusive thread
worker; a result that arrives for a query the input no longer holds is dropped."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.worker import get_current_worker
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input, Static
from textual.widgets.option_list import Option

from reader.search import Hit, QueryError, SearchResult
from reader.ui.keys import PassOnInput
from reader.ui.kinds import component_style
from reader.ui.safe import plain, styled, with_spans
from reader.ui.widgets.pick_list import PickList
from reader.wording import byline, plural

if TYPE_CHECKING:
    from reader.library import Library

# Each hit's snippet costs the domain a read of the article and drawing it costs
# the list a wrap: while typing, only what a screen shows is asked for; the rest
# when the results get the focus.
TYPING_LIMIT = 12
RESULT_LIMIT = 50


NO_HITS = "Nothing matches: try fewer words, word* for the words it begins, word~ for a near spelling."


@dataclass
class SearchChoice:
    """What the search screen returns: the result set and the chosen hit."""

    result: SearchResult
    hit: Hit


class SearchScreen(Screen[SearchChoice | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="search.back"),
        # Not in the footer: the status line offers the suggestion where it
        # shows it, and a footer that changed with it would be rebuilt (its
        # keys are widgets), 10-20 ms on the keystroke that brings or drops one.
        Binding("tab,ctrl+s", "apply_suggestion", "Apply the did-you-mean suggestion", priority=True,
                show=False, id="search.suggest"),
        Binding("ctrl+o", "toggle_sort", "Sort", id="search.sort"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {"search--hit", "search--meta", "search--error",
                                             "search--suggestion"}

    def __init__(self, library: "Library", query: str = "") -> None:
        super().__init__()
        self.library = library
        self.initial_query = query
        self.result: SearchResult | None = None
        self.suggestion: str | None = None
        self.sort = "relevance"
        self.shown_query = ""  # the text whose results (or error) are on screen
        self._search_lock = threading.Lock()
        self.wanted = query  # the input's text (read by the search thread)

    def compose(self):
        yield PassOnInput(value=self.initial_query, id="search-input",
                          focus_on={"enter": self._results_if_any, "down": self._results_if_any},
                    placeholder='words, "a phrase", person:Musk, Qualcom~, date:2024-07 …')
        yield Static(Content("Type to search. Enter: results · Esc: back"), id="search-status", markup=False)
        yield PickList(id="search-results")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(Input).focus()
        if self.initial_query:
            self.run_search(self.initial_query, self.sort)

    @property
    def input(self) -> Input:
        return self.query_one("#search-input", Input)

    @property
    def results(self) -> PickList:
        return self.query_one("#search-results", PickList)

    @on(Input.Changed, "#search-input")
    def query_changed(self, event: Input.Changed) -> None:
        self.wanted = event.value
        if event.value.strip():
            self.run_search(event.value, self.sort)
        else:
            self.result = None
            self.suggestion = None
            self.results.clear_options()
            self._status(Content("Type to search."))
            self.shown_query = ""

    @on(Input.Submitted, "#search-input")
    def submitted(self) -> None:
        if self.results.option_count:
            self.results.focus()
            if self.results.highlighted is None:
                self.results.highlighted = 0

    def _results_if_any(self) -> PickList | None:
        return self.results if self.results.option_count else None

    def key_down(self) -> None:
        """Down from the input goes to the results."""
        if self.input.has_focus and self.results.option_count:
            self.results.focus()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        if event.widget is self.results:
            self._more()

    def _more(self) -> None:
        """The results have the focus: ask for the hits past the first screen."""
        result = self.result
        if result is not None and len(result.hits) < min(result.total, RESULT_LIMIT) and \
                self.shown_query == self.input.value:
            self.run_search(self.input.value, self.sort, RESULT_LIMIT)

    @work(thread=True, exclusive=True, group="search")
    def run_search(self, query: str, sort: str, limit: int = TYPING_LIMIT) -> None:
        # One domain search at a time (they share the index's searcher): a
        # query that the user typed past while waiting for its turn is skipped,
        # so fast typing does not pile up searches behind one another.
        with self._search_lock:
            if get_current_worker().is_cancelled or query != self.wanted:
                return
            try:
                result = self.library.search(query, limit=limit, sort=sort, typing=True)
            except QueryError as error:
                self.app.call_from_thread(self.show_error, query, str(error))
                return
        self.app.call_from_thread(self.show_result, query, result)

    def show_error(self, query: str, message: str) -> None:
        if query != self.input.value:
            return  # stale
        self.result = None
        self.suggestion = None
        self.results.clear_options()
        self._status(styled(message, component_style(self, "search--error")))
        self.shown_query = query

    def show_result(self, query: str, result: SearchResult) -> None:
        if query != self.input.value:
            return  # stale: the user typed on
        # More hits for the same query (the results got the focus): keep the place.
        keep = self.results.highlighted if self.result is not None and self.result.query == result.query else None
        self.result = result
        self.suggestion = result.suggestion
        hit_style = component_style(self, "search--hit")
        meta_style = component_style(self, "search--meta")
        options: list[Option | None] = []
        for number, hit in enumerate(result.hits):
            meta = byline(hit.source, "", hit.date)
            snippet = with_spans(hit.snippet.replace("\n", " "), hit.highlights, hit_style)
            title = with_spans(hit.title, hit.title_highlights, hit_style).stylize("bold") if hit.title \
                else styled(hit.id, "bold")
            prompt = Content.assemble(title,
                                      (f"  {meta}", meta_style) if meta else "", "\n", snippet)
            if options:
                options.append(None)  # a rule between hits (OptionList drops vertical padding)
            options.append(Option(prompt, id=str(number)))
        self.results.set_options(options)
        if options:
            self.results.highlighted = keep if keep is not None and keep < self.results.option_count else 0
        shown = len(result.hits)
        count = plural(result.total, "article")
        if shown < result.total:
            count += f" (first {shown})"
        parts: list[Content | str] = [count, f" · sorted by {self.sort} (ctrl+o)"]
        for note in result.notes:
            parts += [" · ", plain(note)]
        if not result.total and not result.suggestion:
            parts += ["\n", NO_HITS]
        if result.suggestion:
            parts += ["\n", Content("Did you mean: ").stylize(component_style(self, "search--suggestion")),
                      styled(result.suggestion, "bold"), " (Tab applies)"]
        self._status(Content.assemble(*parts))
        self.shown_query = query

    def _status(self, content: Content) -> None:
        self.query_one("#search-status", Static).update(content)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Tab applies the suggestion only when there is one (else it moves the
        # focus); asked when the key is pressed, so nothing needs refreshing.
        if action == "apply_suggestion":
            return bool(self.suggestion) and self.input.has_focus
        return True

    def action_apply_suggestion(self) -> None:
        if self.suggestion and self.input.has_focus:
            self.input.value = self.suggestion
            self.input.cursor_position = len(self.suggestion)
        else:
            self.focus_next()

    def action_toggle_sort(self) -> None:
        self.sort = "date" if self.sort == "relevance" else "relevance"
        if self.input.value.strip():
            self.run_search(self.input.value, self.sort)

    @on(PickList.OptionSelected, "#search-results")
    def chosen(self, event: PickList.OptionSelected) -> None:
        if self.result is None or event.option.id is None:
            return
        self.dismiss(SearchChoice(self.result, self.result.hits[int(event.option.id)]))

    def action_back(self) -> None:
        self.dismiss(None)
