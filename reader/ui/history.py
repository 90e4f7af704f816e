"""Back and forward through visited places, as in a browser."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Place:
    article_id: str
    offset: int = 0  # body offset to scroll to
    entity: str = ""  # entity selected there


class History:
    def __init__(self, limit: int = 200) -> None:
        self.limit = limit
        self._back: list[Place] = []
        self._forward: list[Place] = []

    def visit(self, current: Place | None) -> None:
        """Leaving ``current`` for a new place: it becomes the way back."""
        if current is not None:
            self._back.append(current)
            del self._back[: -self.limit]
        self._forward.clear()

    def back(self, current: Place | None) -> Place | None:
        if not self._back:
            return None
        if current is not None:
            self._forward.append(current)
        return self._back.pop()

    def forward(self, current: Place | None) -> Place | None:
        if not self._forward:
            return None
        if current is not None:
            self._back.append(current)
        return self._forward.pop()

    @property
    def can_back(self) -> bool:
        return bool(self._back)

    @property
    def can_forward(self) -> bool:
        return bool(self._forward)
