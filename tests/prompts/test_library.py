import json
import time
from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from prompts.library import PROMPTS_DIR, LibraryError, near_duplicates, normalise, read_prompts, suggestions
from prompts.models import Depth, Family, Format, Pillar, Prompt

# How each family's keys begin (prompts/data/prompts/<family>.toml).
KEY_PREFIX = {
    Family.CHECK_IN: "checkin-",
    Family.LOVE_MAP: "lovemap-",
    Family.DEEP_CONVERSATION: "deep-",
    Family.SENTENCE_STEM: "stem-",
    Family.STRESS_MAP: "stress-",
    Family.ROSE_THORN_BUD: "rtb-",
    Family.APPRECIATION: "appreciation-",
    Family.NEEDS: "needs-",
    Family.DREAMS_FEARS: "dreams-",
    Family.SHARED_MEANING: "meaning-",
    Family.GROWTH: "growth-",
    Family.CURIOSITY: "curiosity-",
    Family.CLOSENESS: "closeness-",
    Family.LOVE_LANGUAGES: "lovelang-",
}
# A "why this matters" line names the research idea it rests on, in one of these words.
RESEARCH_IDEAS = ("love map", "aron", "bid", "stress map", "rose, thorn", "directly", "love language", "5:1", "repair")


def prompt(key: str = "a", text: str = "One", **fields: object) -> str:
    """One [[prompt]] table for a small library file written by a test."""
    entry: dict[str, object] = {
        "key": key,
        "family": "check_in",
        "depth": "light",
        "pillar": "play",
        "format": "text",
        "text": text,
    }
    entry.update(fields)
    # JSON strings and lists of strings are valid TOML values.
    return "[[prompt]]\n" + "".join(f"{field} = {json.dumps(value)}\n" for field, value in entry.items())


@pytest.fixture(scope="module")
def shipped() -> list[dict]:
    return read_prompts()


def test_it_ships_over_a_year_of_prompts_in_every_family(shipped):
    assert len(shipped) >= 400
    share = len(shipped) / len(Family.values)
    for family in Family.values:
        mine = [entry for entry in shipped if entry["family"] == family]
        # Every family carries close to its share, and enough light ones for new couples.
        assert len(mine) >= 0.8 * share, family
        assert sum(entry["depth"] == Depth.LIGHT for entry in mine) >= 8, family


def test_it_spreads_depth_pillar_and_format(shipped):
    depths = Counter(entry["depth"] for entry in shipped)
    assert depths[Depth.LIGHT] >= 0.4 * len(shipped)
    assert 0.05 * len(shipped) <= depths[Depth.VULNERABLE] <= 0.2 * len(shipped)
    pillars = Counter(entry["pillar"] for entry in shipped)
    assert set(pillars) == set(Pillar.values)
    assert min(pillars.values()) >= 20
    formats = Counter(entry["format"] for entry in shipped)
    assert formats[Format.TEXT] >= len(shipped) / 2
    assert formats[Format.SCALE] >= 40
    assert formats[Format.CHOICE] >= 40
    assert formats[Format.LOVE_MAP_GUESS] >= 30
    assert formats[Format.MULTI_PART] >= 20


def test_it_checks_every_tag_against_the_allowed_values(shipped):
    for entry in shipped:
        assert entry["family"] in Family.values
        assert entry["depth"] in Depth.values
        assert entry["pillar"] in Pillar.values
        assert entry["format"] in Format.values
        assert entry["key"].startswith(KEY_PREFIX[entry["family"]]), entry["key"]


def test_it_keeps_one_family_per_file():
    for file in sorted(PROMPTS_DIR.glob("*.toml")):
        assert {entry["family"] for entry in read_prompts(file)} == {file.stem}


def test_it_varies_how_prompts_open(shipped):
    openings = Counter(normalise(entry["text"]).split()[0] for entry in shipped)
    word, count = openings.most_common(1)[0]
    assert count <= len(shipped) / 10, f"{count} prompts open with {word!r}"


def test_it_names_the_research_idea_in_every_why(shipped):
    whys = [entry["why"] for entry in shipped if entry["why"]]
    assert len(whys) >= 60
    for why in whys:
        assert any(idea in why.casefold() for idea in RESEARCH_IDEAS), why
    assert len(set(whys)) == len(whys), "each why is written for its prompt"


def test_it_gives_every_format_the_data_it_needs(shipped):
    for entry in shipped:
        data = entry["format_data"]
        match entry["format"]:
            case Format.TEXT:
                assert data == {}
            case Format.SCALE:
                assert set(data) == {"low", "high"}
            case Format.CHOICE:
                assert 2 <= len(data["options"]) <= 5
            case Format.LOVE_MAP_GUESS:
                assert data["guess_text"] and "partner" in data["guess_text"]
            case Format.MULTI_PART:
                assert 2 <= len(data["parts"]) <= 5


def test_it_has_no_near_duplicates(shipped):
    started = time.perf_counter()
    assert near_duplicates(shipped) == []
    # All pairs of the whole library: the cheap bounds keep this well inside a few seconds.
    assert time.perf_counter() - started < 5


def test_it_finds_a_planted_near_duplicate(tmp_path):
    library = tmp_path / "prompts.toml"
    library.write_text(
        prompt("walk", "What's a small thing that made you smile on your walk today?")
        + prompt("walk-again", "What small thing made you smile on your walk today?")
        + prompt("other", "Which song has been stuck in your head this week?")
        + prompt("stem-one", "Finish the sentence: Today I was glad that…")
        + prompt("stem-two", "Finish the sentence: Lately I've been wondering whether…")
    )
    pairs = near_duplicates(read_prompts(library))
    assert [(a, b) for a, b, _ in pairs] == [("walk", "walk-again")]
    assert pairs[0][2] >= 0.75


def test_it_refuses_the_same_text_with_other_case_punctuation_and_spacing(tmp_path):
    library = tmp_path / "prompts.toml"
    library.write_text(prompt("a", "What made you laugh today?") + prompt("b", "what made  you laugh today!"))
    with pytest.raises(LibraryError, match="'b': same text as 'a'"):
        read_prompts(library)


def test_it_loads_idempotently(db, capsys):
    call_command("load_prompts")
    first = dict(Prompt.objects.values_list("key", "text"))
    assert len(first) >= 400
    call_command("load_prompts")
    assert dict(Prompt.objects.values_list("key", "text")) == first
    assert "0 created, 0 updated" in capsys.readouterr().out


def test_it_stores_each_formats_data(db, tmp_path):
    library = tmp_path / "prompts.toml"
    library.write_text(
        prompt("t", "A text", why="Love Maps, in a line.")
        + prompt("s", "A scale", format="scale", low="Low end", high="High end")
        + prompt("c", "A choice", format="choice", options=["This", "That"])
        + prompt("g", "A guess", format="love_map_guess", guess_text="And your partner?", options=["Yes", "No"])
        + prompt("m", "In parts", format="multi_part", parts=["Rose", "Thorn", "Bud"])
    )
    call_command("load_prompts", file=library)
    stored = {p.key: (p.format, p.format_data, p.why) for p in Prompt.objects.all()}
    assert stored == {
        "t": (Format.TEXT, {}, "Love Maps, in a line."),
        "s": (Format.SCALE, {"low": "Low end", "high": "High end"}, ""),
        "c": (Format.CHOICE, {"options": ["This", "That"]}, ""),
        "g": (Format.LOVE_MAP_GUESS, {"guess_text": "And your partner?", "options": ["Yes", "No"]}, ""),
        "m": (Format.MULTI_PART, {"parts": ["Rose", "Thorn", "Bud"]}, ""),
    }


def test_it_updates_by_key_and_deactivates_removed_keys(db, tmp_path):
    library = tmp_path / "prompts.toml"
    library.write_text(prompt("a", "One") + prompt("b", "Two"))
    call_command("load_prompts", file=library)
    library.write_text(
        prompt("a", "One, better", family="needs", depth="deeper", format="scale", low="Not much", high="A lot")
    )
    call_command("load_prompts", file=library)
    a = Prompt.objects.get(key="a")
    assert (a.text, a.family, a.format, a.format_data, a.is_active) == (
        "One, better",
        "needs",
        "scale",
        {"low": "Not much", "high": "A lot"},
        True,
    )
    assert Prompt.objects.get(key="b").is_active is False
    library.write_text(library.read_text() + prompt("b", "Two"))
    call_command("load_prompts", file=library)
    assert Prompt.objects.get(key="b").is_active is True


def test_it_reads_every_file_of_a_directory(db, tmp_path):
    (tmp_path / "check_in.toml").write_text(prompt("checkin-a", "One"))
    (tmp_path / "needs.toml").write_text(prompt("needs-a", "Two", family="needs"))
    (tmp_path / "notes.txt").write_text("not a library file")
    call_command("load_prompts", file=tmp_path)
    assert set(Prompt.objects.values_list("key", flat=True)) == {"checkin-a", "needs-a"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (prompt(family="nope"), "unknown family 'nope'"),
        (prompt(depth="deep"), "unknown depth 'deep'"),
        (prompt(pillar="fun"), "unknown pillar 'fun'"),
        (prompt(format="slider"), "unknown format 'slider'"),
        (prompt().replace('pillar = "play"\n', ""), "lacks pillar"),
        (prompt().replace('format = "text"\n', ""), "lacks format"),
        (prompt() * 2, "appears twice"),
        (prompt(key="Not A Slug"), "short slug"),
        (prompt(text="x" * 201), "text is 201 characters, more than 200"),
        (prompt(why="A bid.\nAnd more."), "why must be one line"),
        (prompt(option=["a", "b"]), "unknown field option"),
        (prompt(format="scale", low="Low"), "a scale prompt needs high"),
        (prompt(format="choice"), "a choice prompt needs options"),
        (prompt(format="choice", options=["Only one"]), "options must be a list of 2 to 5"),
        (prompt(format="choice", options=["1", "2", "3", "4", "5", "6"]), "options must be a list of 2 to 5"),
        (prompt(format="choice", options=["Yes", "yes!"]), "options has the same label twice"),
        (prompt(options=["This", "That"]), "a text prompt takes no options"),
        (prompt(format="scale", low="L", high="H", parts=["A", "B"]), "a scale prompt takes no parts"),
        (prompt(format="love_map_guess"), "a love_map_guess prompt needs guess_text"),
        (
            prompt(format="love_map_guess", guess_text="Yours?", options=["A", "B"], low="L", high="H"),
            "either a choice",
        ),
        (prompt(format="love_map_guess", guess_text="Yours?", low="L"), "needs both low and high"),
        (prompt(format="multi_part"), "a multi_part prompt needs parts"),
        (prompt(format="multi_part", parts=["High", ""]), "parts must be a non-empty string"),
        (prompt(format="multi_part", parts=["High", "x" * 41]), "parts is 41 characters, more than 40"),
        ("[[prompt]\nkey = ", "not valid TOML"),
        ('prompt = "What made you smile?"\n', r"must be \[\[prompt\]\] tables"),
    ],
)
def test_it_refuses_a_broken_library_file(db, tmp_path, body, message):
    library = tmp_path / "prompts.toml"
    library.write_text(body)
    with pytest.raises(LibraryError, match=message):
        read_prompts(library)
    with pytest.raises(CommandError, match=message):
        call_command("load_prompts", file=library)
    assert not Prompt.objects.exists()


def test_it_names_the_file_and_prompt_that_is_wrong(tmp_path):
    (tmp_path / "check_in.toml").write_text(prompt("fine", "One"))
    (tmp_path / "needs.toml").write_text(prompt("fine-too", "Two") + prompt("broken", "Three", depth="deep"))
    with pytest.raises(LibraryError, match=r"^needs\.toml, prompt #2 'broken': unknown depth"):
        read_prompts(tmp_path)


def test_it_has_waiting_suggestions():
    assert len(suggestions()) >= 10
