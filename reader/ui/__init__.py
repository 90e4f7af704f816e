"""The Textual interface of reader. Nothing outside this package imports it
except the command line, which calls :func:`reader.ui.app.run`."""

import os

# Textual paints at most MAX_FPS frames a second, and after an idle spell its
# frame clock skips ahead, so the second frame after a key (search results, an
# article loaded in a worker) waited one to two frame periods: 17-33 ms at
# Textual's default 60, 8-17 ms at 120. A frame is only painted when something
# changed, so a higher cap costs nothing while the screen is still; 120 rather
# than more keeps a stream of changes (a mouse sweeping over a list) from
# flooding a slow terminal link. Set before Textual is imported (it reads the
# variable once); a user's own TEXTUAL_FPS wins.
os.environ.setdefault("TEXTUAL_FPS", "120")
