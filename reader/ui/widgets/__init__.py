"""Widgets of the reader: the article list, the article view, the
cross-reference pane, the legend and the status line."""
