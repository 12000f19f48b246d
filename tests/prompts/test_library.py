from collections import Counter

import pytest
from django.core.management import CommandError, call_command

from prompts.library import LibraryError, read_prompts, suggestions
from prompts.models import Family, Prompt


def test_it_ships_at_least_sixty_prompts_over_every_family():
    entries = read_prompts()
    assert len(entries) >= 60
    families = Counter(entry["family"] for entry in entries)
    assert set(families) == set(Family.values)
    assert all(len(entry["text"]) <= 200 for entry in entries)


def test_it_loads_idempotently(db, capsys):
    call_command("load_prompts")
    first = dict(Prompt.objects.values_list("key", "text"))
    call_command("load_prompts")
    assert dict(Prompt.objects.values_list("key", "text")) == first
    assert "0 created" in capsys.readouterr().out


def test_it_updates_by_key_and_deactivates_removed_keys(db, tmp_path):
    library = tmp_path / "prompts.toml"
    library.write_text(
        '[[prompt]]\nkey = "a"\nfamily = "check_in"\ndepth = "light"\npillar = "play"\ntext = "One"\n'
        '[[prompt]]\nkey = "b"\nfamily = "check_in"\ndepth = "light"\npillar = "play"\ntext = "Two"\n'
    )
    call_command("load_prompts", file=library)
    library.write_text(
        '[[prompt]]\nkey = "a"\nfamily = "needs"\ndepth = "deeper"\npillar = "repair"\ntext = "One, better"\n'
    )
    call_command("load_prompts", file=library)
    a = Prompt.objects.get(key="a")
    assert (a.text, a.family, a.is_active) == ("One, better", "needs", True)
    assert Prompt.objects.get(key="b").is_active is False
    library.write_text(
        library.read_text()
        + '[[prompt]]\nkey = "b"\nfamily = "check_in"\ndepth = "light"\npillar = "play"\ntext = "Two"\n'
    )
    call_command("load_prompts", file=library)
    assert Prompt.objects.get(key="b").is_active is True


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ('[[prompt]]\nkey = "a"\nfamily = "nope"\ndepth = "light"\npillar = "play"\ntext = "x"\n', "unknown family"),
        ('[[prompt]]\nkey = "a"\nfamily = "needs"\ndepth = "light"\ntext = "x"\n', "lacks pillar"),
        (
            '[[prompt]]\nkey = "a"\nfamily = "needs"\ndepth = "light"\npillar = "play"\ntext = "x"\n' * 2,
            "appears twice",
        ),
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


def test_it_has_waiting_suggestions():
    assert len(suggestions()) >= 10
