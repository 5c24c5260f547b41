"""Profiles: the shipped ones load, and every way a profile can be wrong is named precisely."""

from __future__ import annotations

from pathlib import Path

import pytest

from zi_media.errors import ProfileError, UnknownKindError
from zi_media.profiles import load_profile, shipped_names

GOOD = """\
schema: 1
name: test
version: "1"
title: {id: Uji, en: Test}
language: id
kinds:
  profile:
    title: {id: Video profil, en: Profile video}
    requirements:
      duration: {max_s: 300}
      audio_stream: {}
"""


def write(tmp_path: Path, text: str, name: str = "p.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


@pytest.mark.parametrize("name", shipped_names())
def test_every_shipped_profile_is_valid(name: str) -> None:
    assert load_profile(name).name == name


def test_ma_2020_holds_the_letter_rules() -> None:
    p = load_profile("ma-2020")
    assert set(p.kinds) == {"profile", "development"}
    assert p.rules("profile").requirements["duration"] == {"max_s": 300}
    assert p.rules("development").requirements["duration"] == {"max_s": 900}
    for kind in p.kinds.values():
        assert {"video_stream", "audio_stream"} <= set(kind.requirements)
        assert kind.language == "id"


def test_a_good_file_loads_by_path(tmp_path: Path) -> None:
    p = load_profile(str(write(tmp_path, GOOD)))
    assert (p.name, p.version, p.title["en"]) == ("test", "1", "Test")
    assert list(p.rules("profile").requirements) == ["duration", "audio_stream"]


def test_unknown_kind() -> None:
    with pytest.raises(UnknownKindError, match=r"unknown kind 'promo' in profile ma-2020 \(known: development, profile\)"):
        load_profile().rules("promo")


def test_unknown_shipped_name_lists_the_shipped_ones() -> None:
    with pytest.raises(ProfileError, match=r"unknown profile 'ma-2099' \(shipped: .*ma-2020"):
        load_profile("ma-2099")


def test_missing_profile_file(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="profile file not found"):
        load_profile(str(tmp_path / "none.yaml"))


@pytest.mark.parametrize(("change", "message"), [
    (("max_s: 300", "max_duraton: 300"),
     'unknown key (allowed: max_s, min_s) at "kinds.profile.requirements.duration.max_duraton"'),
    (("max_s: 300", "max_s: lima menit"),
     "expected a number, got 'lima menit' at \"kinds.profile.requirements.duration.max_s\""),
    (('version: "1"', "version: 2020.1"),
     'expected text (quote it), got 2020.1 at "version"'),
    (('version: "1"\n', ""), 'missing required key at "version"'),
    (("{max_s: 300}", "{}"), 'missing required key at "kinds.profile.requirements.duration.max_s"'),
    (("audio_stream", "subtitles"), 'unknown requirement (known: duration, video_stream, audio_stream, black, freeze, silence, loudness) '
                                    'at "kinds.profile.requirements.subtitles"'),
    (("en: Profile video", "eng: Profile video"), 'unknown key (allowed: id, en) at "kinds.profile.title.eng"'),
    (("language: id\n", ""), 'missing required key (here or at the top) at "kinds.profile.language"'),
    (("schema: 1", "schema: 9"), 'unsupported schema 9 (this zi-media reads 1) at "schema"'),
    (("kinds:", "kind:"), 'unknown key (allowed: schema, name, version, title, source, language, transcription, reading, kinds, unit) at "kind"'),
])
def test_invalid_profiles_name_file_and_key(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    path = write(tmp_path, GOOD.replace(*change, 1))
    with pytest.raises(ProfileError) as e:
        load_profile(str(path))
    assert str(e.value) == f"invalid profile {path}: {message}"


def test_yaml_syntax_error_gives_the_line(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD.replace("max_s: 300}", "max_s: 300"))
    with pytest.raises(ProfileError, match=rf"invalid profile {path}: YAML syntax error at line \d+"):
        load_profile(str(path))


def test_top_level_must_be_a_mapping(tmp_path: Path) -> None:
    with pytest.raises(ProfileError, match="expected a mapping of keys at the top"):
        load_profile(str(write(tmp_path, "- just\n- a list\n")))


def test_extends_overrides_key_by_key(tmp_path: Path) -> None:
    child = write(tmp_path, 'extends: ma-2020\nname: ma-2021\nversion: "2021.1"\n'
                            "kinds:\n  development:\n    requirements:\n      duration: {max_s: 600}\n")
    p = load_profile(str(child))
    assert (p.name, p.version) == ("ma-2021", "2021.1")
    assert p.rules("development").requirements["duration"] == {"max_s": 600}
    assert p.rules("profile").requirements["duration"] == {"max_s": 300}  # inherited


def test_extends_by_relative_path_and_loops(tmp_path: Path) -> None:
    write(tmp_path, "extends: b.yaml\n", "a.yaml")
    write(tmp_path, "extends: ./a.yaml\n", "b.yaml")
    with pytest.raises(ProfileError, match="'extends' loops back"):
        load_profile(str(tmp_path / "a.yaml"))


def test_the_paparan_language_is_a_unit_rule(tmp_path: Path) -> None:
    shipped = load_profile().unit
    assert shipped is not None and shipped.paparan_language == "id"  # from content_from: development
    child = write(tmp_path, "extends: ma-2020\nunit:\n  paparan: {language: en}\n")
    unit = load_profile(str(child)).unit
    assert unit is not None and unit.paparan_language == "en"
