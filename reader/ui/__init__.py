"""The Textual interface of reader. Nothing outside this package imports it
except the command line, which calls :func:`reader.ui.app.run`."""
