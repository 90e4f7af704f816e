"""Small dialogs for the reading state: an article's tags (with completion
from the tags in use), a note on an article or a passage, and the name of a
saved search. Each returns what was typed; the app hands it to the library."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import Suggester
from textual.widgets import Input, Static, TextArea
from textual.widgets.option_list import Option

from reader.sanitize import sanitize_line
from reader.state import Note
from reader.ui.safe import plain, styled
from reader.ui.widgets.pick_list import PickList


class LastWordSuggester(Suggester):
    """Completes the word being typed (the last one) from the tags in use."""

    def __init__(self, tags: list[str]) -> None:
        super().__init__(use_cache=False, case_sensitive=True)
        self.tags = tags

    async def get_suggestion(self, value: str) -> str | None:
        head, _, word = value.rpartition(" ")
        sign = word[:1] if word[:1] in "+-" else ""
        typed = word[len(sign):].lower()
        if not typed:
            return None
        for tag in self.tags:
            if tag.startswith(typed) and tag != typed:
                return f"{head} {sign}{tag}".lstrip() if head else f"{sign}{tag}"
        return None


@dataclass(frozen=True)
class TagChange:
    add: list[str]
    remove: list[str]


def parse_tag_change(text: str) -> TagChange:
    """``foo +bar -baz``: add foo and bar, remove baz."""
    add, remove = [], []
    for word in text.split():
        if word.startswith("-") and len(word) > 1:
            remove.append(word[1:])
        elif word.lstrip("+"):
            add.append(word.lstrip("+"))
    return TagChange(add, remove)


class TagScreen(ModalScreen[TagChange | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="tags.cancel"),
        Binding("tab", "complete", "Complete the tag", priority=True, id="tags.complete"),
    ]

    def __init__(self, title: str, current: list[str], in_use: list[str]) -> None:
        super().__init__()
        self.article_title = title
        self.current = current
        self.in_use = in_use

    def compose(self):
        with Vertical(id="tag-box", classes="state-box"):
            yield Static(Content.assemble("Tags of ", styled(_short(self.article_title), "bold")),
                         classes="state-title", markup=False)
            yield Static(plain(" ".join(f"#{t}" for t in self.current) or "no tags yet"),
                         id="tag-current", markup=False)
            yield Input(id="tag-input", placeholder="tag to add, -tag to remove (Tab completes)",
                        suggester=LastWordSuggester(self.in_use))
            yield Static(plain("In use: " + " ".join(self.in_use[:12]) if self.in_use else "No tags in use yet."),
                         classes="state-help", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def action_complete(self) -> None:
        """Tab takes the suggested tag (as the right arrow does at the end)."""
        box = self.query_one("#tag-input", Input)
        box.cursor_position = len(box.value)
        box.action_cursor_right()

    @on(Input.Submitted, "#tag-input")
    def submitted(self, event: Input.Submitted) -> None:
        change = parse_tag_change(event.value)
        self.dismiss(change if change.add or change.remove else None)

    def action_cancel(self) -> None:
        self.dismiss(None)


@dataclass(frozen=True)
class NoteText:
    text: str
    start: int | None
    end: int | None


class NoteScreen(ModalScreen[NoteText | None]):
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="note.cancel"),
        Binding("ctrl+s", "save", "Save", priority=True, id="note.save"),
    ]

    def __init__(self, title: str, notes: list[Note], passage: tuple[int, int, str] | None,
                 editing: Note | None = None) -> None:
        """``editing``: a note to change (its text in the box; saved empty, it goes)."""
        super().__init__()
        self.article_title = title
        self.notes = notes
        self.passage = passage
        self.editing = editing

    def compose(self):
        with Vertical(id="note-box", classes="state-box"):
            if self.editing is not None:
                head = Content.assemble(f"Note {self.editing.note} on ", styled(_short(self.article_title), "bold"))
            elif self.passage is not None:
                head = Content.assemble("Note on the passage ", styled(f"“{_short(self.passage[2], 50)}”", "italic"))
            else:
                head = Content.assemble("Note on ", styled(_short(self.article_title), "bold"))
            yield Static(head, classes="state-title", markup=False)
            if self.notes:
                earlier = [f"{n.note}. {sanitize_line(_short(n.text, 70))}" for n in self.notes[-4:]]
                yield Static(Content("\n".join(["Notes so far:", *earlier])), id="note-earlier", markup=False)
            yield TextArea(self.editing.text if self.editing else "", id="note-text", soft_wrap=True,
                           show_line_numbers=False)
            words = "Ctrl+S saves (empty: the note goes) · Esc cancels" if self.editing else "Ctrl+S saves · Esc cancels"
            yield Static(Content(words), classes="state-help", markup=False)

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()

    def action_save(self) -> None:
        text = self.query_one(TextArea).text.strip()
        if not text and self.editing is None:
            self.dismiss(None)
            return
        start, end = (self.passage[0], self.passage[1]) if self.passage else (None, None)
        self.dismiss(NoteText(text, start, end))

    def action_cancel(self) -> None:
        self.dismiss(None)


class NotesScreen(ModalScreen[Note | None]):
    """An article's notes; Enter gives back the one to edit."""

    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="notes.cancel")]

    def __init__(self, title: str, notes: list[Note]) -> None:
        super().__init__()
        self.article_title = title
        self.notes = notes

    def compose(self):
        with Vertical(id="notes-box", classes="state-box"):
            yield Static(Content.assemble("Notes on ", styled(_short(self.article_title), "bold")),
                         classes="state-title", markup=False)
            yield PickList(*[Option(self._line(n), id=str(i)) for i, n in enumerate(self.notes)], id="notes-list")
            yield Static(Content("Enter edits the note · Esc closes"), classes="state-help", markup=False)

    @staticmethod
    def _line(note: Note) -> Content:
        where = f" on “{_short(note.passage, 30)}”" if note.start is not None else ""
        return Content.assemble(f"{note.note}.{where} ", plain(_short(note.text, 60)))

    def on_mount(self) -> None:
        self.query_one(PickList).focus()

    @on(PickList.OptionSelected)
    def chosen(self, event: PickList.OptionSelected) -> None:
        if event.option.id is not None:
            self.dismiss(self.notes[int(event.option.id)])

    def action_cancel(self) -> None:
        self.dismiss(None)


class SaveSearchScreen(ModalScreen[str | None]):
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "Cancel", id="save-search.cancel")]

    def __init__(self, query: str) -> None:
        super().__init__()
        self.search = query

    def compose(self):
        with Vertical(id="save-search-box", classes="state-box"):
            yield Static(Content.assemble("Save the search ", styled(_short(self.search, 50), "bold")),
                         classes="state-title", markup=False)
            yield Input(value=_short(self.search, 40), id="save-search-name", placeholder="name of the saved search")
            yield Static(Content("Enter saves · Esc cancels"), classes="state-help", markup=False)

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted, "#save-search-name")
    def submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip() or None)

    def action_cancel(self) -> None:
        self.dismiss(None)


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
