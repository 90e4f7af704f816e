"""Keys typed quickly after a key that moves the focus reach the right widget.

Textual hands each key to the widget that has the focus *when the key is
read*; a binding that moves the focus (Tab, Enter in the filter, ``/``) runs
only when its key has bubbled back up to the app, after the keys typed just
behind it were already handed to the old widget. Those keys are then lost (the
list ignores "O") or go astray (letters typed after Enter in the filter land
in the filter). Typing ``/oil`` fast, or Tab and a few letters, showed it.

The fix: the app notes which widget each key was handed to; a key that comes
back to the app unhandled from a widget that has lost the focus meanwhile is
handed again to the widget that has it now (once the new screen has focused
one, for a key typed right behind the key that opened the screen). Inputs
that move the focus away (the filter, the search box) pass on keys that
arrive after they lost it, instead of typing them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from textual import events
from textual.widgets import Input

if TYPE_CHECKING:
    from textual.app import App
    from textual.widget import Widget

RETRIES = 20  # refreshes a key waits for a new screen to focus a widget


def mark(event: events.Key, target: "Widget | None") -> None:
    """Note the widget a key is handed to."""
    event._reader_target = target  # type: ignore[attr-defined]


def target_of(event: events.Key) -> "Widget | None":
    return getattr(event, "_reader_target", None)


def hand_on(app: "App", event: events.Key, tries: int = 0) -> bool:
    """Hand a key that its widget did not take to the widget focused now.
    Returns whether it was handed on (or will be, once a screen has focus)."""
    origin = target_of(event)
    if origin is None:
        return False
    focused = app.focused
    if focused is origin:
        return False
    if focused is None or focused.screen is not app.screen:
        if tries < RETRIES and origin.is_attached:  # a screen opening: wait for its focus
            app.call_after_refresh(hand_on, app, event, tries + 1)
            return True
        return False
    # Back through the app's queue, as if just typed: behind whatever the app
    # is still doing for earlier keys (a binding's action may still be
    # running, as ctrl+u's clearing of the filter), so the order holds.
    app.post_message(events.Key(event.key, event.character))
    return True


class PassOnInput(Input):
    """An input that moves the focus away (Enter, Down) and passes on the keys
    that reach it after it lost the focus.

    ``focus_on`` maps a key to a function that gives the widget that key
    sends the focus to (or None: the key does what it does in any input). The
    focus moves as the key is handled, not later, so the keys typed behind it
    arrive there; Enter still submits."""

    def __init__(self, *args: Any, focus_on: dict[str, Callable[[], "Widget | None"]] | None = None,
                 **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.focus_on = focus_on or {}

    async def _on_key(self, event: events.Key) -> None:
        # Runs before Input._on_key (Textual calls each class's handler in
        # turn); preventing the default skips Input's typing.
        # (``has_focus`` follows a Blur message: the screen knows at once.)
        if self.screen.focused is not self:
            if self.app.focused is not None and target_of(event) is self:
                event.stop()
                event.prevent_default()
                hand_on(self.app, event)
            return
        chooser = self.focus_on.get(event.key)
        target = chooser() if chooser is not None else None
        if target is not None and target.focusable:
            event.stop()
            event.prevent_default()
            if event.key == "enter":
                await self.action_submit()
            self.screen.set_focus(target)
            return
        # The input's own keys (ctrl+u, home, backspace…) act here and now:
        # left to bubble up to the app, they would act after the characters
        # typed behind them (ctrl+u then "abc" cleared the "abc").
        bindings = self._bindings.key_to_bindings.get(event.key)
        if bindings and not event.is_printable:
            event.stop()
            event.prevent_default()
            await self.app.run_action(bindings[0].action, self)
