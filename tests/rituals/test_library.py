"""The ritual library file."""

import pytest

from rituals.library import LibraryError, library, read_rituals
from rituals.models import Guide


def test_it_ships_every_ritual_with_instructions_duration_cadence_and_pillar():
    entries = read_rituals()
    assert len(entries) >= 15
    for entry in entries:
        assert entry.title and len(entry.instructions) > 60
        assert entry.duration >= 1
        assert entry.rrule.startswith("FREQ=")
        assert entry.get_pillar_display()


def test_it_has_a_ritual_for_each_guided_page():
    assert {entry.guide for entry in library().values()} >= set(Guide.values)


def test_it_refuses_a_broken_file(tmp_path):
    path = tmp_path / "rituals.toml"
    path.write_text(
        '[[ritual]]\nkey = "x"\ntitle = "X"\ninstructions = "Y"\npillar = "play"\nduration = 5\n'
        'cadence = "weekly"\nweekdays = ["XX"]\nstart = "19:00"\n'
    )
    with pytest.raises(LibraryError, match="unknown weekday"):
        read_rituals(path)
    path.write_text('[[ritual]]\nkey = "x"\n')
    with pytest.raises(LibraryError, match="lacks"):
        read_rituals(path)
