"""reader.frontmatter and reader.yamlsafe: front matter and untrusted YAML."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader import frontmatter
from reader.frontmatter import FrontMatterError
from reader.yamlsafe import YamlError, dump_yaml, load_yaml

BILLION_LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""


# --- yamlsafe -------------------------------------------------------------------

def test_load_plain_yaml() -> None:
    assert load_yaml("a: 1\nb: [x, y]\nc: {d: e}\n") == {"a": 1, "b": ["x", "y"], "c": {"d": "e"}}
    assert load_yaml("") is None


@pytest.mark.parametrize(
    "text",
    [
        "x: !!python/object:os.system {}",
        "x: !!python/object/apply:os.system ['echo owned']",
        "x: !!python/name:os.system",
        "x: !custom 1",
    ],
)
def test_unknown_and_python_tags_are_refused(text: str) -> None:
    with pytest.raises(YamlError) as info:
        load_yaml(text)
    assert info.value.line == 1
    assert "tag" in str(info.value)
    assert "\n" not in str(info.value)


def test_billion_laughs_is_refused_quickly_with_a_clear_message() -> None:
    started = time.perf_counter()
    with pytest.raises(YamlError) as info:
        load_yaml(BILLION_LAUGHS)
    elapsed = time.perf_counter() - started
    message = str(info.value)
    assert "alias" in message.lower()
    assert info.value.line == 2  # the first alias is on line 2
    assert message.startswith("line 2:")
    # Expanding it would take minutes and gigabytes; refusing takes no time.
    assert elapsed < 2.0


def test_billion_laughs_in_front_matter_is_refused() -> None:
    text = "---\n" + BILLION_LAUGHS + "---\nbody\n"
    with pytest.raises(FrontMatterError) as info:
        frontmatter.parse(text)
    assert info.value.line == 3  # file line: "---" is line 1, "a:" line 2, first alias line 3
    assert "alias" in str(info.value).lower()


def test_anchor_without_alias_is_harmless() -> None:
    assert load_yaml("a: &x 1\nb: 2\n") == {"a": 1, "b": 2}


@pytest.mark.parametrize(
    "text, line",
    [
        ("a: 1\nb: c: d\n", 2),
        ("a: 1\nb:\n  - x\n  y: 2\n", 4),
        ("a: 1\n\tb: 2\n", 2),
        ("a: 'unclosed\nb: 2\n", 3),
    ],
)
def test_syntax_errors_carry_line_numbers(text: str, line: int) -> None:
    with pytest.raises(YamlError) as info:
        load_yaml(text)
    assert info.value.line == line
    assert str(info.value).startswith(f"line {line}: ")
    assert "\n" not in str(info.value)


def test_line_offset_is_added() -> None:
    with pytest.raises(YamlError) as info:
        load_yaml("a: 1\nb: c: d\n", line_offset=10)
    assert info.value.line == 12


def test_too_large_yaml_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import reader.yamlsafe as yamlsafe

    monkeypatch.setattr(yamlsafe, "MAX_YAML_BYTES", 1024 * 1024)
    with pytest.raises(YamlError, match="larger than"):
        load_yaml("a: " + "x" * (1024 * 1024 + 1))


DEEP_DOCUMENTS = {
    "flow": "'[' * 50_000 + ']' * 50_000",
    "flow-unclosed": "'[' * 50_000",
    "flow-mapping": "'{a: ' * 40_000 + '}' * 40_000",
    "block-sequence": "'- ' * 40_000 + 'x'",
    "front-matter": "'id: x\\nevil: ' + '[' * 50_000",
}


@pytest.mark.parametrize("name", sorted(DEEP_DOCUMENTS))
def test_deep_nesting_is_an_error_not_a_crash(name: str) -> None:
    # The C loader recurses in C: before the depth check, each of these killed
    # the Python process with a segfault. Run in a child so that a regression
    # fails this test instead of ending the whole run.
    code = (
        "from reader.yamlsafe import load_yaml, YamlError\n"
        f"text = {DEEP_DOCUMENTS[name]}\n"
        "try:\n    load_yaml(text)\nexcept YamlError as exc:\n    print('refused', exc.line, exc)\n"
        "else:\n    print('loaded')\n"
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr[-500:]
    assert proc.stdout.startswith("refused"), proc.stdout
    # Our depth check's message, or PyYAML's own limit (6.0.4 and later), or a parse error.
    assert "nested" in proc.stdout or "nesting" in proc.stdout or "expected" in proc.stdout


def test_depth_limit_in_process() -> None:
    from reader.yamlsafe import MAX_DEPTH

    # Ours, or the same limit built into the libyaml of PyYAML 6.0.4 and later.
    with pytest.raises(YamlError, match="nested more than|maximum nesting depth") as info:
        load_yaml("a: 1\nb: " + "[" * (MAX_DEPTH + 5) + "]" * (MAX_DEPTH + 5))
    assert info.value.line == 2
    # Moderate nesting and many (shallow) flow lists are fine.
    assert load_yaml("[" * 50 + "]" * 50) is not None
    many = "\n".join(f"k{i}: [a, b]" for i in range(3000))
    assert len(load_yaml(many)) == 3000


# --- front matter ---------------------------------------------------------------

def test_valid_front_matter() -> None:
    doc = frontmatter.parse("---\nid: a-1\ntitle: Hello\ndate: 2024-07-04\n---\nFirst.\n\nSecond.\n")
    assert doc.meta == {"id": "a-1", "title": "Hello", "date": "2024-07-04"}  # dates as ISO text
    assert doc.body == "First.\n\nSecond.\n"
    assert doc.body_line == 6


def test_datetime_becomes_iso_text() -> None:
    doc = frontmatter.parse("---\ndate: 2024-07-04 10:30:00\n---\nx\n")
    assert doc.meta["date"] == "2024-07-04T10:30:00"


def test_no_front_matter_is_all_body() -> None:
    doc = frontmatter.parse("Just text.\n---\nmore\n")
    assert doc.meta == {}
    assert doc.body == "Just text.\n---\nmore\n"
    assert doc.body_line == 1
    assert not frontmatter.has_front_matter("Just text.")


def test_bom_and_dot_terminator_and_empty_front_matter() -> None:
    assert frontmatter.parse("\ufeff---\nid: x\n---\nb\n").meta == {"id": "x"}
    assert frontmatter.parse("---\nid: x\n...\nb\n").meta == {"id": "x"}
    doc = frontmatter.parse("---\n---\nbody\n")
    assert doc.meta == {} and doc.body == "body\n"
    assert frontmatter.has_front_matter("---\r\nid: x\r\n---\r\n")


def test_unclosed_front_matter() -> None:
    with pytest.raises(FrontMatterError) as info:
        frontmatter.parse("---\nid: x\ntitle: never closed\nbody text\n")
    assert info.value.line == 1
    assert "not closed" in str(info.value)


@pytest.mark.parametrize("yaml_text", ["- a\n- b", "just a string", "42"])
def test_front_matter_must_be_a_mapping(yaml_text: str) -> None:
    with pytest.raises(FrontMatterError) as info:
        frontmatter.parse(f"---\n{yaml_text}\n---\nbody\n")
    assert "mapping" in str(info.value)
    assert info.value.line == 2


def test_invalid_front_matter_reports_the_file_line() -> None:
    text = "---\nid: x\ntitle: a: b\n---\nbody\n"
    with pytest.raises(FrontMatterError) as info:
        frontmatter.parse(text)
    assert info.value.line == 3
    assert str(info.value).startswith("line 3: front matter:")


def test_unknown_tag_in_front_matter() -> None:
    with pytest.raises(FrontMatterError) as info:
        frontmatter.parse("---\nid: x\nevil: !!python/object/apply:os.system ['id']\n---\nb\n")
    assert info.value.line == 3
    assert "tag" in str(info.value)


def test_render_leaves_out_empty_values_and_keeps_order() -> None:
    text = frontmatter.render({"id": "a", "title": "", "author": None, "source": "S", "tags": []}, "\n\nBody\n\n")
    assert text == "---\nid: a\nsource: S\n---\nBody\n"
    assert frontmatter.render({}, "B") == "---\n---\nB\n"


def test_render_quotes_what_yaml_would_misread() -> None:
    meta = {"id": "x", "title": "yes", "date": "2024-07-04", "n": "007", "colon": "a: b", "hash": "# not a comment"}
    doc = frontmatter.parse(frontmatter.render(meta, "b"))
    assert doc.meta == meta


def test_dump_yaml_keeps_key_order_and_unicode() -> None:
    text = dump_yaml({"z": "上海", "a": "Qu’s"})
    assert text.index("z:") < text.index("a:")
    assert "上海" in text and "Qu’s" in text


# Simple strings: letters, digits, punctuation and spaces, as article fields hold.
simple_text = st.text(
    alphabet=st.characters(whitelist_categories=("L", "N", "P", "S", "Zs"), blacklist_characters="\ufeff"),
    min_size=1,
    max_size=120,
)
keys = st.from_regex(r"[a-z][a-z0-9_]{0,15}", fullmatch=True)


@given(st.dictionaries(keys, simple_text, max_size=8), simple_text)
def test_render_parse_round_trip(meta: dict[str, str], body: str) -> None:
    text = frontmatter.render(meta, body)
    doc = frontmatter.parse(text)
    assert doc.meta == meta
    assert doc.body == body.strip("\n") + "\n"


@given(st.dictionaries(keys, st.lists(simple_text, max_size=4) | simple_text, max_size=6))
def test_yaml_dump_load_round_trip(data: dict) -> None:
    expected = {k: v for k, v in data.items()}
    assert load_yaml(dump_yaml(data)) == expected


@given(st.text(max_size=300))
def test_parse_never_raises_anything_but_front_matter_error(text: str) -> None:
    text = text.replace("\r", "")
    try:
        doc = frontmatter.parse("---\n" + text + "\n---\nbody\n")
    except FrontMatterError as exc:
        assert "\n" not in str(exc)
    else:
        assert isinstance(doc.meta, dict)
