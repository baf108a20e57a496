from pathlib import Path

import pytest

from dyads.wordclasses import WordClassError, load, words


def write(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "classes.tsv"
    path.write_text("class\tword\tnote\n" + body, encoding="utf-8")
    return path


def test_a_table_loads_into_named_sets(tmp_path):
    table = load(write(tmp_path, "saying_verb\tsay\t\nsaying_verb\ttell\tto someone\nmotion_verb\tflee\t\n"))
    assert table == {"saying_verb": {"say", "tell"}, "motion_verb": {"flee"}}


@pytest.mark.parametrize(
    ("body", "line", "reason"),
    [
        ("saying_verb\tSay\t\n", 2, "lowercase"),
        ("saying_verb\tsay\t\nsaying_verb\tsay\t\n", 3, "twice"),
        ("Saying Verb\tsay\t\n", 2, "bad class name"),
        ("saying_verb\n", 2, "expected class"),
    ],
)
def test_a_bad_row_is_named_with_its_line(tmp_path, body, line, reason):
    with pytest.raises(WordClassError, match=rf"classes.tsv:{line}: .*{reason}"):
        load(write(tmp_path, body))


def test_an_unknown_class_is_an_error_not_an_empty_set():
    with pytest.raises(WordClassError, match="no word class"):
        words("no_such_class")


def asked_for() -> set[str]:
    """Every class a rule asks for: ``words("name")`` in the source, ``@name`` in predicates.tsv."""
    import re

    import dyads

    src = Path(dyads.__file__).parent
    asked = {
        name
        for path in src.rglob("*.py")
        if path.name != "wordclasses.py"  # its docstring's example
        for name in re.findall(r'\bwords\(\s*"([a-z0-9_]+)"', path.read_text(encoding="utf-8"))
    }
    predicates = (src / "data" / "predicates.tsv").read_text(encoding="utf-8")
    return asked | set(re.findall(r"@([a-z0-9_]+)", predicates))


def test_every_class_the_code_and_the_predicates_ask_for_is_in_the_table():
    """A class asked for inside a function fails only when that rule first runs: check the table has it."""
    from dyads.wordclasses import TABLE

    asked = asked_for()
    assert len(asked) > 50
    assert sorted(asked - set(load(TABLE))) == []


def test_every_class_in_the_table_is_read_by_some_rule():
    """A class no rule reads is dead data: changing its rows would change nothing. (A class may be named in
    a table of names, ``("MIL", "military_means")``, and read through it.)"""
    import dyads
    from dyads.wordclasses import TABLE

    source = "".join(p.read_text(encoding="utf-8") for p in Path(dyads.__file__).parent.rglob("*.py"))
    unread = {name for name in set(load(TABLE)) - asked_for() if f'"{name}"' not in source}
    assert sorted(unread) == []
