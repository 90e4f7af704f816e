"""Every key, generated from the BINDINGS of the app, its screens and widgets,
so the help can never drift from what the keys do; each is told in words
(``WORDS``, keyed by the binding's id: the footer keeps its short labels)."""

from __future__ import annotations

from itertools import zip_longest
from typing import Callable, ClassVar, Iterable

from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static

from reader.ui.kinds import KIND_LABELS, KINDS, component_style

PALETTE_WORDS = "Command palette: find an article, an entity or an action"

# What each key does, in the reader's words.
WORDS: dict[str, str] = {
    "app.quit": "Quit",
    "app.search": "Search every article",
    "app.filter": "To the article list's filter line (the list shows if hidden)",
    "app.help": "This help",
    "app.help_f1": "This help, also while typing in a box",
    "app.next_hit": "Next search hit in the article",
    "app.prev_hit": "Previous search hit in the article",
    "app.next_mention": "Next mention of the selected entity (on into the next article)",
    "app.prev_mention": "Previous mention of the selected entity (back into the previous article)",
    "app.back": "Back to where you were",
    "app.forward": "Forward again",
    "app.copy": "Copy the selected text, else the article's citation",
    "app.rescan": "Re-scan the articles folder now",
    "app.theme": "Light or dark theme",
    "app.figures": "Figures that several articles state, disagreeing ones first",
    "app.grid": "Coverage grid: people and companies by articles, with mention counts",
    "figures.entity": "Only the articles that name the entity selected in the reader, or all again",
    "app.next_figure": "Next figure of the article that other articles state too, with what they say",
    "app.prev_figure": "Previous figure of the article that other articles state too",
    "app.toggle_read": "Mark the article read or unread again (the list's, or the open one)",
    "app.next_unread": "Next unread article in the list, opened",
    "app.prev_unread": "Previous unread article in the list, opened",
    "app.mark_all_read": "Mark every article the list shows read (press twice)",
    "app.star": "Star the article, or take its star away",
    "app.tags": "Tag the article: tag to add, -tag to remove, Tab completes",
    "app.note": "Write a note on the article, or on the selected passage",
    "app.save_search": "Save the last search's query (listed under the articles and in Ctrl+P)",
    "tags.cancel": "Close without changing the tags",
    "tags.complete": "Complete the tag being typed from the tags in use",
    "note.cancel": "Close without saving the note",
    "note.save": "Save the note",
    "app.notes": "The article's notes: Enter on one edits it (saved empty, it is deleted)",
    "notes.cancel": "Close the list of notes",
    "save-search.cancel": "Close without saving the search",
    "app.toggle_list": "Show or hide the article list",
    "app.toggle_xref": "Show or hide the cross-references",
    "app.clear_search": "Clear the search hits",
    **{f"app.kind_{kind}": f"Highlighting of {KIND_LABELS[kind].lower()} on or off" for kind in KINDS},
    "list.down": "Next article",
    "list.up": "Previous article",
    "list.page_down": "A page down",
    "list.page_up": "A page up",
    "list.first": "First article",
    "list.last": "Last article",
    "list.open": "Open the article",
    "list.sort": "Sort by date, title or source",
    "list.filter": "Filter the list by title, source or date: type in the filter line (q too)",
    "list.clear_filter": "Clear the filter, the cursor staying on its article",
    "filter.clear": "In the filter line: clear it and go back to the list",
    "article.down": "Scroll down a line",
    "article.up": "Scroll up a line",
    "article.page_down": "A page down",
    "article.page_up": "A page up",
    "article.top": "To the top",
    "article.bottom": "To the end",
    "pick.down": "Next entry",
    "pick.up": "Previous entry",
    "pick.first": "First entry",
    "pick.last": "Last entry",
    "pick.page_down": "A page down",
    "pick.page_up": "A page up",
    "pick.select": "Open: an entity's mentions, a related article, a result",
    "xref.accept": "Accept the discovered entity into the entity list",
    "xref.merge": "Merge the discovered entity into another",
    "xref.reject": "Reject the discovered entity: never take it for a name again",
    "xref.unreject": "Undo the last reject",
    "search.back": "Back to the article",
    "search.suggest": "Take the \"Did you mean\" suggestion",
    "search.sort": "Sort the results by relevance or date",
    "mentions.back": "Back to the article",
    "figures.back": "Back to the article",
    "grid.back": "Back to the article",
    "grid.sort": "Sort by mentions, articles, first appearance or name",
    "grid.kind": "Kinds shown: people and companies, each kind alone, every kind",
    "grid.down": "Next entity",
    "grid.up": "Previous entity",
    "grid.right": "Next article",
    "grid.left": "Previous article",
    "grid.page_down": "A page of entities down",
    "grid.page_up": "A page of entities up",
    "grid.first": "First entity",
    "grid.last": "Last entity",
    "grid.first_article": "First article",
    "grid.last_article": "Last article",
    "grid.open": "Open the article at the entity's first mention in it",
    "merge.cancel": "Cancel the merge",
    "merge.to_list": "To the list of entities to merge into",
    "help.close": "Close the help",
    "help.down": "Scroll down a line",
    "help.up": "Scroll up a line",
    "help.page_down": "A page down",
    "help.page_up": "A page up",
    "help.top": "To the top",
    "help.bottom": "To the end",
}

# Textual's own bindings (they carry no id), by action, in the reader's words;
# those not named here (such as "how to quit" on Ctrl+C) are left out.
TEXTUAL_WORDS = {
    "quit": "Quit",
    "app.focus_next": "Next pane",
    "app.focus_previous": "Previous pane",
    "screen.copy_text": "Copy the selected text",
    "command_palette": PALETTE_WORDS,
}


def words_for(binding: Binding) -> str | None:
    """What a binding does, in words; None for one the help leaves out."""
    if binding.id:
        return WORDS.get(binding.id) or binding.tooltip or binding.description or binding.action
    if binding.system:
        return None
    return TEXTUAL_WORDS.get(binding.action)


def help_rows(node_types: type[DOMNode] | Iterable[type[DOMNode]],
              display: Callable[[Binding], str] | None = None) -> list[tuple[str, str]]:
    """(keys, words) for each thing a key does; the keys that do one thing
    are joined."""
    types = [node_types] if isinstance(node_types, type) else list(node_types)
    rows: dict[str, list[str]] = {}
    for node_type in types:
        for keys in node_type._merge_bindings().key_to_bindings.values():
            for binding in keys:
                words = words_for(binding)
                if words is None:
                    continue
                key = display(binding) if display else binding.key
                entry = rows.setdefault(words, [])
                if key not in entry:
                    entry.append(key)
    return [(" ".join(keys), words) for words, keys in rows.items()]


Section = tuple[str, "type[DOMNode] | tuple[type[DOMNode], ...]"]
KEYS_WIDTH = 22  # at most; longer key lists wrap within it


class HelpScreen(ModalScreen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark,f1", "close", "Close help", id="help.close"),
        Binding("down,j", "scroll(1)", "Scroll down", show=False, id="help.down"),
        Binding("up,k", "scroll(-1)", "Scroll up", show=False, id="help.up"),
        Binding("pagedown,space", "page(1)", "Page down", show=False, id="help.page_down"),
        Binding("pageup", "page(-1)", "Page up", show=False, id="help.page_up"),
        Binding("home,g", "top", "Top", show=False, id="help.top"),
        Binding("end,G", "bottom", "End", show=False, id="help.bottom"),
    ]
    COMPONENT_CLASSES: ClassVar[set[str]] = {"help--section", "help--key"}

    def __init__(self, sections: Iterable[Section]) -> None:
        super().__init__()
        self.sections = list(sections)

    def compose(self):
        with VerticalScroll(id="help-box"):
            yield Static(Content("Keys  (Esc closes; PgUp, PgDn, Space, g, G scroll)"), id="help-title",
                         markup=False)
            yield Static(self.build(), id="help-text", markup=False)

    def rows(self) -> list[tuple[str, list[tuple[str, str]]]]:
        out = []
        for title, node_types in self.sections:
            rows = help_rows(node_types, self.app.get_key_display)
            types = node_types if isinstance(node_types, tuple) else (node_types,)
            if type(self.app) in types and self.app.ENABLE_COMMAND_PALETTE:
                palette = Binding(self.app.COMMAND_PALETTE_BINDING, "command_palette")
                rows.append((self.app.get_key_display(palette), PALETTE_WORDS))
            if rows:
                out.append((title, rows))
        return out

    def build(self, width: int = 0) -> Content:
        """Keys and words in two columns within ``width`` cells; both wrap,
        nothing is cut."""
        section = component_style(self, "help--section")
        key = component_style(self, "help--key")
        sections = self.rows()
        all_rows = [row for _title, rows in sections for row in rows]
        keys_width = min(KEYS_WIDTH, max((len(k) for k, _w in all_rows), default=8))
        words_width = max(12, width - 2 - keys_width - 2) if width else 0
        lines: list[Content] = []
        for title, rows in sections:
            lines.append(Content(title).stylize(section))
            for keys, words in rows:
                key_lines = Content(keys).wrap(keys_width)
                word_lines = Content(words).wrap(words_width) if words_width else [Content(words)]
                for key_line, word_line in zip_longest(key_lines, word_lines, fillvalue=Content("")):
                    cell = key_line.pad_right(keys_width - key_line.cell_length).stylize(key)
                    lines.append(Content.assemble("  ", cell, "  ", word_line))
            lines.append(Content(""))
        return Content("\n").join(lines)

    def on_mount(self) -> None:
        # Styles resolve once mounted; rebuild so the component colours apply.
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        # The box's width less a scrollbar's, there or not: lines are wrapped
        # here, to the columns, never again by the text widget.
        box = self.box
        self.query_one("#help-text", Static).update(
            self.build(box.content_region.width - box.styles.scrollbar_size_vertical))

    @property
    def box(self) -> VerticalScroll:
        return self.query_one("#help-box", VerticalScroll)

    def action_scroll(self, delta: int) -> None:
        self.box.scroll_relative(y=delta, animate=False)

    def action_page(self, step: int) -> None:
        box = self.box
        box.scroll_relative(y=step * max(1, box.scrollable_content_region.height - 1), animate=False)

    def action_top(self) -> None:
        self.box.scroll_home(animate=False)

    def action_bottom(self) -> None:
        self.box.scroll_end(animate=False)

    def action_close(self) -> None:
        self.dismiss(None)
