"""reader.sanitize: untrusted text loses escape sequences and control characters."""

from __future__ import annotations

import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from reader.sanitize import is_clean, normalise_newlines, sanitize, sanitize_line

# Anything that is a control character other than newline and tab.
FORBIDDEN = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@pytest.mark.parametrize(
    "raw, expected",
    [
        # CSI: colours, cursor movement, erase, private modes
        ("\x1b[31mred\x1b[0m text", "red text"),
        ("a\x1b[1;32;40mb", "ab"),
        ("\x1b[2J\x1b[Hclear", "clear"),
        ("\x1b[?1049hscreen\x1b[?1049l", "screen"),
        ("x\x1b[38;2;255;0;0my", "xy"),
        # OSC: window title (BEL and ST terminated), hyperlinks, clipboard
        ("\x1b]0;pwned\x07title", "title"),
        ("\x1b]2;pwned\x1b\\title", "title"),
        ("\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\", "link"),
        ("\x1b]52;c;ZXZpbA==\x07paste", "paste"),
        # DCS, SOS, PM, APC strings
        ("a\x1bP1;2|data\x1b\\b", "ab"),
        ("a\x1bXsos\x1b\\b", "ab"),
        ("a\x1b^pm\x1b\\b", "ab"),
        ("a\x1b_apc\x1b\\b", "ab"),
        # two-byte escapes
        ("a\x1bcb", "ab"),
        ("a\x1b7b\x1b8", "ab"),
        ("a\x1b(Bb", "ab"),
        # 8-bit CSI and OSC
        ("a\x9b31mb", "ab"),
        ("a\x9d0;title\x9cb", "ab"),
        ("a\x9d0;title\x07b", "ab"),
        # lone ESC at the end
        ("end\x1b", "end"),
        # unterminated OSC swallows the rest, as a terminal would
        ("ok\x1b]0;never closed", "ok"),
    ],
)
def test_escape_sequences_are_removed(raw: str, expected: str) -> None:
    assert sanitize(raw) == expected


def test_nul_c0_c1_and_del_removed_newlines_and_tabs_kept() -> None:
    raw = "a\x00b\x01c\x07d\x08e\x0bf\x0cg\x7fh\x85i\x9fj\tk\nl"
    assert sanitize(raw) == "abcdefghij\tk\nl"


def test_crlf_and_lone_cr_become_lf() -> None:
    assert normalise_newlines("a\r\nb\rc\nd") == "a\nb\nc\nd"
    assert sanitize("one\r\ntwo\r\n\r\nthree\r") == "one\ntwo\n\nthree\n"
    # a CR is never mistaken for a control character to drop
    assert sanitize("a\rb") == "a\nb"


def test_bidi_overrides_removed() -> None:
    assert sanitize("abc\u202edcba\u202c") == "abcdcba"
    assert sanitize("x\u2066y\u2069") == "xy"


def test_ordinary_text_unchanged() -> None:
    text = "Premier Li Qiang’s “speech” – 7-nanometre, HK$1.62, 上海, İstanbul\n\tindented"
    assert sanitize(text) == text
    assert is_clean(text)
    assert not is_clean("a\x1b[0m")


def test_markup_is_not_this_modules_business() -> None:
    # Rich/Textual markup is plain text here: it must survive sanitising so that
    # the UI can show it literally (it is neutralised where it is drawn).
    text = "[bold]x[/bold] [/foo] [link=x]y[/link] [@click=app.quit]z[/]"
    assert sanitize(text) == text


def test_sanitize_line_folds_to_one_line() -> None:
    assert sanitize_line("  Tracy\r\n Qu \x1b[1m\tin\nShanghai  ") == "Tracy Qu in Shanghai"
    assert sanitize_line("\x00\x1b]0;x\x07") == ""


@given(st.text())
@example("\x1b\x1b[31m")
@example("\x1b]\x1b\\")
@example("\x9b\x9d\x9c\x1b")
@example("\r\r\n\x85")
def test_output_never_holds_escapes_or_controls(text: str) -> None:
    out = sanitize(text)
    assert "\x1b" not in out
    assert "\r" not in out
    assert not FORBIDDEN.search(out)
    assert is_clean(out)


@given(st.text(alphabet=st.sampled_from(list("ab \n\t\r[]\x1b\x07\x9b\x9c\x9d;0123m]P\\^_XH?\x00\x7f"))))
def test_escape_heavy_text_is_clean_and_idempotent(text: str) -> None:
    out = sanitize(text)
    assert not FORBIDDEN.search(out)
    assert sanitize(out) == out


@given(st.text())
def test_idempotent(text: str) -> None:
    once = sanitize(text)
    assert sanitize(once) == once


@given(st.text(alphabet=st.characters(blacklist_categories=("Cc", "Cf", "Cs", "Zl", "Zp"))))
def test_printable_text_passes_through(text: str) -> None:
    assert sanitize(text) == text


@given(st.text())
def test_sanitize_line_is_one_line_and_clean(text: str) -> None:
    out = sanitize_line(text)
    assert "\n" not in out and "\t" not in out
    assert out == out.strip()
    assert not FORBIDDEN.search(out)
    assert sanitize_line(out) == out


def test_one_line_fields_drop_zero_width_characters_and_bodies_keep_joiners() -> None:
    from reader.sanitize import sanitize, sanitize_line

    raw = "Zero\u200b width\u200c\u200d\u2060 title\ufeff \u200emark\u200f\u061c"
    assert sanitize_line(raw) == "Zero width title mark"
    assert "\u200d" in sanitize("family \U0001F468\u200d\U0001F469")  # an emoji sequence keeps its joiner
