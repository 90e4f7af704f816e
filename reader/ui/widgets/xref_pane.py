"""The cross-reference pane of the open article: its entities by kind (people
and companies first) with the other articles that name them, the articles
related by shared entities, and the roles of the selected person."""

from __future__ import annotations

import functools
from typing import Callable, ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Static
from textual.style import Style
from textual.widgets.option_list import Option

from reader.entities import Entity
from reader.ledger import LedgerQuote
from reader.passages import SharingArticle
from reader.ui.kinds import KIND_LABELS, KINDS, component_style, kind_class
from reader.ui.safe import plain, styled
from reader.ui.widgets.pick_list import PickList
from reader.wording import plural
from reader.xref import Affiliation, Related, SharedEntity

ENTITY = "entity:"
RELATED = "related:"
PASSAGES = "passages:"
DUPLICATE_MARK = "≈"  # beside an article that is a near duplicate of this one
QUOTES_SHOWN = 2  # quotations under the roles; Enter lists them all
LEGENDS = ("× mentions here · + in other articles", "× here · + other articles", "× here · + others")


def entry(figures: str, figures_style: Style, text: Content, width: int, full: bool,
          note: Content | None = None, limit: int = 0) -> Content:
    """`` figures  text``: the figures first in their column, the text after
    them to the pane's edge, cut only there; ``full`` (the cursor's entry)
    wraps the whole text under itself instead (at most ``limit`` lines when
    given), and adds ``note`` below it.
    Without a width (the pane not laid out yet), all on one line."""
    lead = Content.assemble(" ", (figures, figures_style), " ")
    indent = " " * lead.cell_length
    if width <= 0:
        return Content.assemble(lead, text)
    room = max(1, width - lead.cell_length)
    if not full:
        if text.cell_length > room:
            text = text.truncate(room, ellipsis=True)
        return Content.assemble(lead, text)
    lines = text.wrap(room)
    lines = _at_most(lines, limit, room) if limit else lines
    out = [Content.assemble(lead, lines[0]), *(Content.assemble(indent, line) for line in lines[1:])]
    if note is not None:
        out += [Content.assemble(indent, line) for line in _at_most(note.wrap(room), NOTE_LINES, room)]
    return Content("\n").join(out)


# A related article's title in full, within reason: a title taken from an
# article's first sentence can run to many lines, and the whole entry must
# stay in view in a pane of 80x24.
FULL_LINES = 5
NOTE_LINES = 3


def _at_most(lines: list[Content], limit: int, room: int) -> list[Content]:
    if len(lines) <= limit:
        return lines
    last = lines[limit - 1]
    return [*lines[: limit - 1], (last + Content(" …")).truncate(room, ellipsis=True) if last.cell_length + 2 > room
            else last + Content(" …")]


class XrefList(PickList):
    """The pane's list; curating keys act on the highlighted discovered entity."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("a", "curate('accept')", "Accept", id="xref.accept"),
        Binding("m", "curate('alias')", "Merge", id="xref.merge"),
        Binding("x", "curate('reject')", "Reject", id="xref.reject"),
        Binding("u", "curate('unreject')", "Undo reject", id="xref.unreject"),
    ]

    # Keys pressed while the pane waits for the open article's entities are
    # kept and applied when they arrive (Tab, Tab, Enter typed ahead).
    def _deferred(self, action: str) -> bool:
        pane = self.parent
        if isinstance(pane, XrefPane) and pane.waiting:
            pane.pending.append(action)
            return True
        return False

    def action_cursor_down(self) -> None:
        if not self._deferred("cursor_down"):
            super().action_cursor_down()

    def action_cursor_up(self) -> None:
        if not self._deferred("cursor_up"):
            super().action_cursor_up()

    def action_first(self) -> None:
        if not self._deferred("first"):
            super().action_first()

    def action_last(self) -> None:
        if not self._deferred("last"):
            super().action_last()

    def action_select(self) -> None:
        if not self._deferred("select"):
            super().action_select()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # a, m, x only on a discovered entity, u only with a rejection to
        # undo: the footer offers them only then.
        if action == "curate" and isinstance(self.parent, XrefPane):
            return self.parent.can_curate(str(parameters[0]) if parameters else "")
        return True

    def on_key(self, event: events.Key) -> None:
        # A curating key the footer does not offer here says why, rather than
        # doing nothing.
        for binding in self._bindings.key_to_bindings.get(event.key, ()):
            if binding.action.startswith("curate(") and isinstance(self.parent, XrefPane):
                action = binding.action[len("curate('"):-2]
                if not self.parent.can_curate(action):
                    event.stop()
                    event.prevent_default()
                    self.parent.request_curate(action)
                return

    def action_curate(self, action: str) -> None:
        pane = self.ancestors_with_self
        for node in pane:
            if isinstance(node, XrefPane):
                node.request_curate(action)
                return


class XrefPane(Vertical):
    """Lists what the open article shares with the rest of the corpus."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        *(kind_class(kind) for kind in KINDS),
        "entity--discovered",
        "xref--count",
        "xref--heading",
    }

    class EntityHighlighted(Message):
        def __init__(self, entity: Entity) -> None:
            super().__init__()
            self.entity = entity

    class EntityChosen(Message):
        def __init__(self, entity: Entity) -> None:
            super().__init__()
            self.entity = entity

    class RelatedChosen(Message):
        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    class CurateRequested(Message):
        def __init__(self, action: str, entity: Entity | None, neighbour: str) -> None:
            super().__init__()
            self.action = action
            self.entity = entity  # None for "unreject": the last rejection
            self.neighbour = neighbour  # where the cursor goes if the entity leaves the pane

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.shared: list[SharedEntity] = []
        self.related: list[Related] = []
        self.sharing: list[SharingArticle] = []  # articles that share passages with this one
        self.sharing_for = ""  # the article ``sharing`` is about
        self.entities: dict[str, Entity] = {}
        self.shown_for = ""  # the article whose cross-references are shown
        self.waiting = False  # for the open article's entities
        self.pending: list[str] = []  # list actions typed while waiting
        self._fitted_width = 0
        # Each entry's drawing, by option id: (width, full) -> its prompt.
        self._entries: dict[str, Callable[[int, bool], Content]] = {}
        self._expanded: int | None = None  # the entry drawn in full (the cursor's)
        self._curatable = False  # the highlighted entity is a discovered one
        self._roles_of = ""  # the entity whose roles and quotations are shown
        self._affiliations: list[Affiliation] = []
        self._quotes: list[LedgerQuote] = []

    def compose(self):
        yield Static(Content("Cross-references"), id="xref-title", markup=False)
        yield Static(Content(LEGENDS[-1]), id="xref-legend", markup=False)
        yield XrefList(id="xref-list")
        yield Static(Content(""), id="roles", markup=False)

    @property
    def option_list(self) -> XrefList:
        return self.query_one(XrefList)

    def show_pending(self) -> None:
        """A new article is open; its cross-references are on their way."""
        self.shown_for = ""
        self.waiting = True
        if self._curatable:
            self._curatable = False
            self.app.refresh_bindings()
        self.shared, self.related, self.entities = [], [], {}
        if self.sharing_for:
            self.sharing, self.sharing_for = [], ""
        self._entries, self._expanded = {}, None
        self.option_list.set_options([Option(Content("Finding the entities…"), disabled=True)])

    def show(self, shared: list[SharedEntity], related: list[Related], keep: str = "",
             article_id: str | None = None) -> None:
        """Fill the pane; ``keep`` is an entity id to leave highlighted."""
        if article_id is not None:
            self.shown_for = article_id
        if self.sharing_for != self.shown_for:
            self.sharing, self.sharing_for = [], ""
        self.shared = shared
        self.related = related
        self.entities = {s.entity.id: s.entity for s in shared}
        option_list = self.option_list
        self._fitted_width = self.line_width()
        options = self._options(self._fitted_width)
        self._expanded = None
        option_list.set_options(options)
        target = ENTITY + keep if keep and keep in self.entities else None
        for index, option in enumerate(options):
            if not option.disabled and (target is None or option.id == target):
                option_list.highlighted = index
                break
        self.waiting = False
        pending, self.pending = self.pending, []
        for action in pending:
            getattr(option_list, f"action_{action}")()

    def show_sharing(self, article_id: str, sharing: list[SharingArticle]) -> None:
        """The articles that share passages with ``article_id``: listed after
        the related articles once its cross-references are shown (they come
        from another worker, before or after them)."""
        self.sharing, self.sharing_for = sharing, article_id
        if self.waiting or self.shown_for != article_id:
            return  # show() lists them with the rest
        option_list = self.option_list
        highlighted = option_list.highlighted
        self._expanded = None
        option_list.set_options(self._options(self._fitted_width))
        if highlighted is not None and highlighted < option_list.option_count:
            with option_list.prevent(PickList.OptionHighlighted):
                option_list.highlighted = highlighted
            self._expand(highlighted)

    def line_width(self) -> int:
        """Cells an entry may take: the list's width less its padding (0 before
        the pane is laid out or while it is hidden: no truncation then)."""
        width = self.option_list.size.width
        # Less the options' padding and a scrollbar's column, there or not
        # (a list that grows a scrollbar must not start wrapping its lines).
        return max(0, width - 3) if width else 0

    def _options(self, width: int) -> list[Option]:
        heading = component_style(self, "xref--heading")
        options: list[Option] = []
        self._entries = {}

        def section(title: str, items: list, option_id: Callable, draw: Callable) -> None:
            """A heading, then an entry per item (drawn again when the cursor
            comes or goes, by ``draw(item, width, full)``)."""
            if not items:
                return
            options.append(Option(Content(title).stylize(heading), disabled=True))
            for item in items:
                key = option_id(item)
                self._entries[key] = functools.partial(draw, item)
                options.append(Option(self._entries[key](width, False), id=key))

        for kind in KINDS:
            section(KIND_LABELS[kind], [s for s in self.shared if s.entity.kind == kind],
                    lambda item: ENTITY + item.entity.id, self._entity_entry)
        section("Related articles", self.related, lambda rel: RELATED + rel.id, self._related_entry)
        if not options:
            options.append(Option(Content("No entities in this article."), disabled=True))
        section("Shared passages", self.sharing, lambda item: PASSAGES + item.id, self._sharing_entry)
        return options

    def _figure_widths(self) -> tuple[int, int]:
        here = max((len(f"×{s.count}") for s in self.shared), default=2)
        others = max((len(f"+{len(s.others)}") for s in self.shared if s.others), default=0)
        return here, others

    def _entity_entry(self, item: SharedEntity, width: int, full: bool) -> Content:
        """An entity: ×mentions here, +other articles that name it (the pane's
        legend says so), then its name in its kind's colour."""
        here_width, others_width = self._figure_widths()
        name = styled(item.entity.name, component_style(self, kind_class(item.entity.kind)))
        if item.entity.discovered:
            name = Content.assemble(name.stylize(component_style(self, "entity--discovered")), " (new)")
        others = len(item.others)
        figures = f"{f'×{item.count}':>{here_width}}"
        if others_width:
            figures += " " + f"{f'+{others}' if others else '':<{others_width}}"
        return entry(figures, component_style(self, "xref--count"), name, width, full)

    def _related_entry(self, rel: Related, width: int, full: bool) -> Content:
        """A related article: how many entities it shares, its title; on the
        cursor, the whole title and the entities it shares."""
        shared_width = max(len(str(r.shared)) for r in self.related)
        count_style = component_style(self, "xref--count")
        note = None
        if full:
            names = [self.entities[e].name if e in self.entities else e for e in rel.entities]
            note = Content.assemble(("shares ", count_style), plain(", ".join(names)))
        return entry(f"{rel.shared:>{shared_width}}", count_style, plain(rel.title or rel.id), width, full, note,
                     limit=FULL_LINES)

    def _sharing_entry(self, item: SharingArticle, width: int, full: bool) -> Content:
        """An article that shares passages: how many (≈ for a near duplicate),
        its title; on the cursor, the whole title and what it shares."""
        count_width = max(len(f"{s.passages}{DUPLICATE_MARK if s.duplicate else ''}") for s in self.sharing)
        count_style = component_style(self, "xref--count")
        figures = f"{item.passages}{DUPLICATE_MARK if item.duplicate else ''}"
        note = None
        if full:
            what = f"{item.passages} passage{'s' if item.passages != 1 else ''} shared"
            note = Content(what + (" · a near duplicate of this article" if item.duplicate else "")).stylize(count_style)
        return entry(f"{figures:>{count_width}}", count_style, plain(item.title), width, full, note, limit=FULL_LINES)

    def _expand(self, index: int | None) -> None:
        """The cursor's entry in full, the one it left cut to a line again."""
        option_list = self.option_list
        width = self._fitted_width
        for at, full in ((self._expanded, False), (index, True)):
            if at is None or at >= option_list.option_count:
                continue
            option = option_list.get_option_at_index(at)
            build = self._entries.get(option.id or "")
            if build is not None:
                option_list.replace_option_prompt_at_index(at, build(width, full))
        self._expanded = index
        if index is not None:
            # The entry grew: keep all of it in view, once its new height is laid out.
            option_list.call_after_refresh(option_list.scroll_to_highlight)

    def on_resize(self) -> None:
        room = max(0, self.size.width - 2)
        legend = next((text for text in LEGENDS if len(text) <= room), LEGENDS[-1])
        self.query_one("#xref-legend", Static).update(Content(legend))
        self._refit()

    def _refit(self) -> None:
        """Entries are cut to the pane's width: cut them again when it changes."""
        width = self.line_width()
        if width == self._fitted_width or not (self.shared or self.related or self.sharing):
            return
        self._fitted_width = width
        option_list = self.option_list
        highlighted = option_list.highlighted
        self._expanded = None
        option_list.set_options(self._options(width))
        if highlighted is not None and highlighted < option_list.option_count:
            with option_list.prevent(PickList.OptionHighlighted):
                option_list.highlighted = highlighted
            self._expand(highlighted)

    def show_roles(self, entity: Entity | None, affiliations: list[Affiliation]) -> None:
        """The highlighted entity's roles (its quotations follow: show_quotes)."""
        if entity is None or entity.id != self._roles_of:
            self._quotes = []  # another entity's
        self._roles_of = entity.id if entity is not None else ""
        self._affiliations = affiliations
        self._draw_roles(entity)

    def show_quotes(self, entity: Entity, quotes: list[LedgerQuote]) -> None:
        """What the highlighted person (or company) is quoted as saying across
        the corpus, under their roles; Enter lists every quotation."""
        if entity.id != self._roles_of:
            return  # the cursor moved on
        self._quotes = quotes
        self._draw_roles(entity)

    def _draw_roles(self, entity: Entity | None) -> None:
        roles = self.query_one("#roles", Static)
        affiliations, quotes = self._affiliations, self._quotes
        if entity is None or not (affiliations or quotes):
            roles.update(Content(""))
            roles.display = False
            return
        heading = component_style(self, "xref--heading")
        lines: list[Content] = []
        if affiliations:
            lines.append(Content.assemble(("Roles of ", heading), styled(entity.name, heading)))
        seen: set[tuple[str, str]] = set()
        with_org = {a.title.lower() for a in affiliations if a.org is not None}
        for affiliation in affiliations:
            key = (affiliation.title.lower(), affiliation.org.id if affiliation.org else "")
            if key in seen or (affiliation.org is None and key[0] in with_org):
                continue  # the same role stated by several articles
            seen.add(key)
            parts = [plain(affiliation.title)]
            if affiliation.org is not None:
                parts += [Content(", "), plain(affiliation.org.name)]
            lines.append(Content.assemble(" ", *parts))
        if quotes:
            articles = len({q.article for q in quotes})
            lines.append(Content.assemble(
                (f"Quoted {plural(len(quotes), 'time')} in {plural(articles, 'article')}", heading),
                (" · Enter lists them", component_style(self, "xref--count"))))
            # Two lines of the box for each: the pane is narrow.
            room = 2 * max(20, self.line_width() - 1) - 4
            for q in quotes[:QUOTES_SHOWN]:
                text = " ".join(q.text.split())
                if len(text) > room:
                    text = text[: room - 1] + "…"
                lines.append(Content.assemble(" ", plain(f"\u201c{text}\u201d")))
        roles.update(Content("\n").join(lines))
        roles.display = True

    def highlighted_entity(self) -> Entity | None:
        option = self.option_list.highlighted_option
        if option is not None and option.id and option.id.startswith(ENTITY):
            return self.entities.get(option.id[len(ENTITY):])
        return None

    def focus_entity(self, entity_id: str) -> None:
        option_list = self.option_list
        try:
            index = option_list.get_option_index(ENTITY + entity_id)
        except Exception:  # noqa: BLE001 - the entity is not in this article
            return
        option_list.highlighted = index

    def can_curate(self, action: str) -> bool:
        if action == "unreject":
            return bool(getattr(self.app, "rejected", None))
        entity = self.highlighted_entity()
        return entity is not None and entity.discovered

    def request_curate(self, action: str) -> None:
        if action == "unreject":  # acts on the last rejection, not the cursor
            self.post_message(self.CurateRequested(action, None, ""))
            return
        entity = self.highlighted_entity()
        if entity is None:
            self.app.notify("Highlight an entity in the cross-references first.", markup=False)
        elif not entity.discovered:
            self.app.notify(f"{entity.name} is already in the entity list: a, m and x act on discovered "
                            "names (marked new).", markup=False)
        else:
            self.post_message(self.CurateRequested(action, entity, self.neighbour_of(entity.id)))

    def neighbour_of(self, entity_id: str) -> str:
        """The entity after this one in the pane (or before it, at the end):
        where the cursor goes when this one leaves the pane."""
        ids = [o.id[len(ENTITY):] for o in self.option_list.options if o.id and o.id.startswith(ENTITY)]
        if entity_id not in ids:
            return ""
        at = ids.index(entity_id)
        rest = ids[at + 1 :] + ids[:at][::-1]
        return rest[0] if rest else ""

    def on_option_list_option_highlighted(self, event: PickList.OptionHighlighted) -> None:
        event.stop()
        self._expand(event.option_index)
        entity = self.highlighted_entity()
        curatable = entity is not None and entity.discovered
        if curatable != self._curatable:
            self._curatable = curatable
            self.app.refresh_bindings()  # the footer offers a, m, x on discovered names only
        if entity is not None:
            self.post_message(self.EntityHighlighted(entity))

    def on_option_list_option_selected(self, event: PickList.OptionSelected) -> None:
        event.stop()
        option_id = event.option.id or ""
        if option_id.startswith(ENTITY) and option_id[len(ENTITY):] in self.entities:
            self.post_message(self.EntityChosen(self.entities[option_id[len(ENTITY):]]))
        elif option_id.startswith(RELATED):
            self.post_message(self.RelatedChosen(option_id[len(RELATED):]))
        elif option_id.startswith(PASSAGES):
            self.post_message(self.RelatedChosen(option_id[len(PASSAGES):]))
