"""Hard-wrapped paragraphs drawn as paragraphs, every offset kept."""

from __future__ import annotations

from hypothesis import given, strategies as st

from reader.reflow import soft_breaks

WIRE = (
    "The central bank said it had revised the weightings of the currencies\n"
    "in its basket to reflect the pattern of trade over the last three years,\n"
    "and that the change would take effect from Monday next week.\n"
    "    The bank added that the markka would be kept within its range and\n"
    "that it saw no need for a further move in interest rates this year.\n"
    "\n"
    "    Dollar        9.0 (8.8)\n"
    "    Sterling     14.3 (13.8)\n"
    "    Yen           3.1 (3.0)\n"
    "\n"
    "Dealers said the move had been expected since the start of the month\n"
    "and that trading in the capital had been thin ahead of the statement.\n"
)


def test_wrapped_paragraphs_flow_and_tables_keep_their_lines() -> None:
    shown = soft_breaks(WIRE)
    assert len(shown) == len(WIRE)
    paragraphs = shown.split("\n")
    assert paragraphs[0].startswith("The central bank") and paragraphs[0].endswith("from Monday next week.")
    assert paragraphs[1].startswith("    The bank added") and paragraphs[1].endswith("this year.")
    assert "    Dollar        9.0 (8.8)" in paragraphs and "    Sterling     14.3 (13.8)" in paragraphs
    assert paragraphs[-2].startswith("Dealers said") and paragraphs[-2].endswith("the statement.")


def test_text_with_a_paragraph_a_line_is_left_as_it_is() -> None:
    web = ("A short opening line.\nThe second paragraph is a whole sentence on one line of its own, as web text puts it.\n"
           "A third one, also whole.\nAnd a fourth.\n")
    assert soft_breaks(web) == web


@given(st.text(alphabet=st.sampled_from("ab ,.\n1(  )"), max_size=400))
def test_only_line_breaks_change_and_only_to_spaces(text: str) -> None:
    shown = soft_breaks(text)
    assert len(shown) == len(text)
    assert all(a == b or (a == "\n" and b == " ") for a, b in zip(text, shown))

