"""Requirement profiles: YAML files under profiles/, shipped inside the package.

A bare name (`ma-2020`) means a shipped profile; anything that looks like a path is read
from disk. `extends: NAME|PATH` starts from another profile and overrides it key by key.
Validation is strict: an unknown key, a wrong type or a missing field is a ProfileError
naming the file and the key, so a typo never silently weakens a rule.
"""

from __future__ import annotations

import math
import reprlib
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from . import yamlsafe
from .content.normalize import ORDINALS, ROMAN, normalize, number_words
from .content.rules import ContentRule, Reading
from .errors import ProfileError, UnknownKindError
from .media.checks import REQUIREMENTS

DEFAULT_PROFILE = "ma-2020"
SCHEMA_VERSION = 1  # the `schema:` value this code reads
LANGUAGES = ("id", "en")  # report languages; every title is given in each
# Bounds of the numbers a profile may give, by key; any other number must be finite and >= 0.
RANGES: dict[str, tuple[float, float]] = {
    "max_s": (1, 86_400), "min_s": (0, 86_400), "beam_size": (1, 20), "batch_size": (1, 64),
    "min_score": (0.01, 1_000), "min_passages": (1, 50), "passage_gap_s": (0.1, 3_600),
    "min_count": (0, 1_000), "min_width_px": (0, 100_000), "min_height_px": (0, 100_000),
    "min_speech_share": (0, 1), "passage_score": (0, 1_000), "min_lufs": (-70, 0), "max_lufs": (-70, 0),
    "max_true_peak_db": (-70, 10), "max_clipped_share": (0, 1),
}
MAX_FILE_BYTES = 1_000_000  # a profile is a few kB; anything this large is not one
NAME_WEIGHT = 1.0  # saying the area's name, or "area N"
ANCHOR_WEIGHT = 1.0  # a phrase that belongs to this requirement only



@dataclass(frozen=True)
class KindRules:
    """What one kind of media (profile video, development video, ...) must satisfy."""

    kind: str
    title: Mapping[str, str]  # language -> title, e.g. {"id": "Video profil", ...}
    language: str  # spoken language of the media, e.g. "id"
    requirements: Mapping[str, Mapping[str, Any]]  # requirement id -> options, in profile order
    content: tuple[ContentRule, ...] = ()  # what must be said, judged on the transcript
    min_speech_share: float = 0.0  # below this share of the duration as speech, content is unreliable


@dataclass(frozen=True)
class BannerRules:
    """What the banner and poster images of a unit must show."""

    title: Mapping[str, str]
    min_count: int  # images that pass every check
    min_width_px: int  # smaller images cannot be read by an evaluator either
    min_height_px: int
    phrases: tuple[tuple[str, ...], ...]  # groups: one phrase of each group must be read


@dataclass(frozen=True)
class UnitRules:
    """What a unit folder must hold (zi-media check FOLDER, zi-media batch)."""

    videos: tuple[str, ...]  # kinds of video that must be present
    banners: BannerRules | None
    covid_banner: BannerRules | None  # 2020: Covid-19 prevention banners, when switched on
    paparan_required: bool
    paparan_content: tuple[ContentRule, ...]  # judged on the presentation's text
    paparan_language: str  # the presentation's language (matters for its content rules)


@dataclass(frozen=True)
class Profile:
    name: str
    version: str
    title: Mapping[str, str]
    source: str  # where the rules come from (letter, regulation)
    path: Path  # the file it was read from
    kinds: Mapping[str, KindRules]
    transcription: Mapping[str, Any]  # decoding options for Whisper (beam_size, batch_size, vad, vocabulary)
    unit: UnitRules | None = None  # None: the profile checks single videos only

    def rules(self, kind: str) -> KindRules:
        if kind not in self.kinds:
            known = ", ".join(sorted(self.kinds))
            raise UnknownKindError(f"unknown kind '{kind}' in profile {self.name} (known: {known})")
        return self.kinds[kind]


def shipped_dir() -> Path:
    """The shipped profiles: inside the installed package, or the repository's profiles/."""
    packaged = Path(__file__).parent / "profiles"
    return packaged if packaged.is_dir() else Path(__file__).parent.parent / "profiles"


def shipped_names() -> list[str]:
    return sorted(p.stem for p in shipped_dir().glob("*.yaml"))


def resolve(ref: str, relative_to: Path | None = None) -> Path:
    """Turn a profile reference (shipped name or path) into a file path."""
    looks_like_path = any(c in ref for c in "/\\") or ref.endswith((".yaml", ".yml"))
    if not looks_like_path:
        path = shipped_dir() / f"{ref}.yaml"
        if not path.is_file():
            names = ", ".join(shipped_names()) or "none"
            raise ProfileError(f"unknown profile '{ref}' (shipped: {names}); "
                               "give a path to a .yaml file to use your own")
        return path
    path = Path(ref)
    if relative_to is not None and not path.is_absolute():
        path = relative_to / path
    try:
        mode = path.stat().st_mode  # the type from stat, never by opening: a FIFO would block
    except FileNotFoundError:
        raise ProfileError(f"profile file not found: {path}") from None
    except OSError as e:
        raise ProfileError(f"cannot read profile {path}: {yamlsafe.short(e)}") from e
    if stat.S_ISDIR(mode):
        raise ProfileError(f"profile {path}: is a folder, expected a profile YAML file")
    if not stat.S_ISREG(mode):
        raise ProfileError(f"profile {path}: not a regular file, expected a profile YAML file")
    return path


def load_profile(ref: str = DEFAULT_PROFILE) -> Profile:
    """Load and validate a profile by shipped name or path."""
    path = resolve(ref)
    return _build(path, _merged(path, ()))


def _read(path: Path) -> dict[str, Any]:
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ProfileError(f"invalid profile {path}: larger than {MAX_FILE_BYTES // 1000} kB")
        data = yamlsafe.load(path.read_text(encoding="utf-8"))
    except yamlsafe.YamlError as e:
        raise ProfileError(f"invalid profile {path}: {e}") from None
    except (OSError, UnicodeDecodeError) as e:
        raise ProfileError(f"cannot read profile {path}: {yamlsafe.short(e)}") from e
    if not isinstance(data, dict):
        raise ProfileError(f"invalid profile {path}: expected a mapping of keys at the top")
    return data


def _merged(path: Path, seen: tuple[Path, ...]) -> dict[str, Any]:
    """The file's data laid over the profile it extends, if any."""
    if path.resolve() in seen:
        raise ProfileError(f"invalid profile {path}: 'extends' loops back to itself")
    data = _read(path)
    parent_ref = data.pop("extends", None)
    if parent_ref is None:
        return data
    if not isinstance(parent_ref, str):
        raise ProfileError(f"invalid profile {path}: \"extends\" must be text (a name or a path)")
    parent = _merged(resolve(parent_ref, relative_to=path.parent), (*seen, path.resolve()))
    return _overlay(parent, data)


def _overlay(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _overlay(out[key], value)
        else:
            out[key] = value
    return out


class _Validator:
    """Walks the raw YAML data; each error names the file and the dotted key."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, what: str) -> ProfileError:
        return ProfileError(f"invalid profile {self.path}: {what} at \"{where}\"")

    def mapping(self, data: Any, where: str, allowed: Mapping[str, type],
                required: set[str] | frozenset[str]) -> dict[str, Any]:
        if not isinstance(data, dict):
            raise self.fail(where, "expected a mapping of keys")
        for key in data:
            if key not in allowed:
                known = ", ".join(allowed) or "none"
                raise self.fail(f"{where}.{key}".lstrip("."), f"unknown key (allowed: {known})")
        for key in sorted(required - set(data)):
            raise self.fail(f"{where}.{key}".lstrip("."), "missing required key")
        for key, expected in allowed.items():
            if key in data:
                self.typed(data[key], expected, f"{where}.{key}".lstrip("."))
        return data

    def typed(self, value: Any, expected: type, where: str) -> None:
        ok = isinstance(value, expected) and (expected is bool or not isinstance(value, bool))
        if expected is float:
            ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        if not ok:
            names = {str: "text", int: "a whole number", float: "a number", dict: "a mapping",
                     bool: "true or false", list: "a list"}
            hint = " (quote it)" if expected is str and isinstance(value, (int, float)) else ""
            raise self.fail(where, f"expected {names[expected]}{hint}, got {reprlib.repr(value)}")
        if expected in (int, float):
            low, high = RANGES.get(where.rsplit(".", 1)[-1], (0, math.inf))
            if not (math.isfinite(value) and low <= value <= high):
                bound = f"from {low:g} to {high:g}" if math.isfinite(high) else f"of at least {low:g}"
                raise self.fail(where, f"expected a number {bound}, got {reprlib.repr(value)}")

    def titles(self, data: Any, where: str) -> dict[str, str]:
        return self.mapping(data, where, dict.fromkeys(LANGUAGES, str), set(LANGUAGES))

    def phrases(self, data: Any, where: str) -> tuple[str, ...]:
        """A list of phrases, each normalised as transcripts are."""
        if not isinstance(data, list):
            raise self.fail(where, "expected a list of phrases")
        out = []
        for i, item in enumerate(data):
            if not isinstance(item, str) or not normalize(item):
                raise self.fail(f"{where}[{i}]", f"expected a phrase (text), got {reprlib.repr(item)}")
            out.append(" ".join(normalize(item)))
        return tuple(out)


_CONTENT_KEYS = {"title": dict, "hint": dict, "area": int, "names": list, "anchors": list,
                 "phrases": dict, "min_score": float, "min_passages": int, "passage_gap_s": float,
                 "openers": list, "exclude": list, "sectors": dict, "together": list,
                 "passage_score": float, "attributed": bool, "by_voice": bool, "screen_together": list}
_READING_KEYS = {"unit": list, "others": list, "attending": list, "definition": list, "aspiration": list,
                 "bodies": list}


def _reading(v: _Validator, raw: Any) -> Reading:
    """How sentences are attributed (whose work, done or only hoped); see content.rules.Reading."""
    v.mapping(raw, "reading", _READING_KEYS, set())
    bodies = tuple(v.phrases(names, f"reading.bodies[{i}]") for i, names in enumerate(raw.get("bodies", [])))
    return Reading(**{key: v.phrases(raw.get(key, []), f"reading.{key}") for key in _READING_KEYS if key != "bodies"},
                   bodies=bodies)


def _together(v: _Validator, raw: Any, where: str, known: Mapping[str, float]) -> tuple[tuple[str, ...], ...]:
    """Groups of phrases that must meet in one sentence; each phrase must be one listened for."""
    if not isinstance(raw, list):
        raise v.fail(where, "expected a list of phrase lists")
    groups = []
    for i, group in enumerate(raw):
        phrases = v.phrases(group, f"{where}[{i}]")
        if not phrases:
            raise v.fail(f"{where}[{i}]", "expected at least one phrase")
        for j, p in enumerate(phrases):
            if not known.get(p):
                raise v.fail(f"{where}[{i}][{j}]", f"'{p}' is not one of this requirement's weighted "
                             "anchors or phrases")
        groups.append(phrases)
    return tuple(groups)


def _content_rule(v: _Validator, rule_id: str, raw: Any, where: str, reading: Reading) -> ContentRule:
    """A content requirement; area naming ("area pertama", "area I") comes from `area: N`."""
    v.mapping(raw, where, _CONTENT_KEYS, {"title", "hint", "min_score"})
    weights: dict[str, float] = {}
    for p in v.phrases(raw.get("openers", []), f"{where}.openers"):
        weights[p] = 0.0  # found to split passages; no score of their own
    for p, weight in v.mapping(raw.get("phrases", {}), f"{where}.phrases",
                               dict.fromkeys(raw.get("phrases", {}), float), set()).items():
        weights[v.phrases([p], f"{where}.phrases")[0]] = float(weight)
    for p in v.phrases(raw.get("anchors", []), f"{where}.anchors"):
        weights[p] = ANCHOR_WEIGHT
    names = list(v.phrases(raw.get("names", []), f"{where}.names"))
    if "area" in raw:
        n = raw["area"]
        if not 1 <= n <= len(ORDINALS):
            raise v.fail(f"{where}.area", f"expected an area number from 1 to {len(ORDINALS)}")
        names += [f"area {number_words(n)}", f"area {ORDINALS[n - 1]}", f"area {ROMAN[n - 1]}",
                  f"area ke {number_words(n)}"]
    for p in names:
        weights[p] = NAME_WEIGHT
    if not weights:
        raise v.fail(where, "no names, anchors or phrases to listen for")
    sectors = v.mapping(raw.get("sectors", {}), f"{where}.sectors",
                        dict.fromkeys(raw.get("sectors", {}), list), set())
    return ContentRule(
        id=rule_id, title=v.titles(raw["title"], f"{where}.title"),
        hint=v.titles(raw["hint"], f"{where}.hint"), phrases=weights,
        min_score=float(raw["min_score"]), min_passages=raw.get("min_passages", 1),
        passage_gap_s=float(raw.get("passage_gap_s", 15.0)),
        openers=v.phrases(raw.get("openers", []), f"{where}.openers"),
        exclude=v.phrases(raw.get("exclude", []), f"{where}.exclude"),
        sectors={k: v.phrases(ps, f"{where}.sectors.{k}") for k, ps in sectors.items()},
        names=tuple(names), together=_together(v, raw.get("together", []), f"{where}.together", weights),
        screen_together=_together(v, raw["screen_together"], f"{where}.screen_together", weights)
        if "screen_together" in raw else None,
        passage_score=float(raw.get("passage_score", 0.0)), attributed=raw.get("attributed", True),
        by_voice=raw.get("by_voice", False), reading=reading,
    )


def _banner_rules(v: _Validator, raw: Any, where: str, required: set[str]) -> BannerRules:
    v.mapping(raw, where, {"title": dict, "required": bool, "min_count": int, "min_width_px": int,
                           "min_height_px": int, "phrases": list}, required)
    groups = tuple(v.phrases(g if isinstance(g, list) else [g], f"{where}.phrases[{i}]")
                   for i, g in enumerate(raw["phrases"]))
    return BannerRules(v.titles(raw["title"], f"{where}.title"), raw.get("min_count", 1),
                       raw.get("min_width_px", 0), raw.get("min_height_px", 0), groups)


def _unit_rules(v: _Validator, raw: Any, kinds: Mapping[str, KindRules], language: str) -> UnitRules:
    """The unit's rules; the paparan's language is its own `language`, else that of the kind
    its content comes from, else the profile's."""
    v.mapping(raw, "unit", {"videos": list, "banners": dict, "covid_banner": dict, "paparan": dict}, {"videos"})
    for i, kind in enumerate(raw["videos"]):
        if kind not in kinds:
            raise v.fail(f"unit.videos[{i}]", f"unknown kind '{kind}' (known: {', '.join(kinds)})")
    banners = _banner_rules(v, raw["banners"], "unit.banners", {"title", "phrases"}) if "banners" in raw else None
    covid = None
    if "covid_banner" in raw:
        covid = _banner_rules(v, raw["covid_banner"], "unit.covid_banner", {"title", "phrases", "required"})
        covid = covid if raw["covid_banner"]["required"] else None
    pap = v.mapping(raw.get("paparan", {}), "unit.paparan",
                    {"required": bool, "content_from": str, "requirements": list, "language": str}, set())
    content: tuple[ContentRule, ...] = ()
    if "content_from" in pap:
        source = kinds.get(pap["content_from"])
        if source is None:
            raise v.fail("unit.paparan.content_from", f"unknown kind '{pap['content_from']}'")
        by_id = {r.id: r for r in source.content}
        wanted = pap.get("requirements", list(by_id))
        for i, rule_id in enumerate(wanted):
            if rule_id not in by_id:
                raise v.fail(f"unit.paparan.requirements[{i}]", f"no content requirement '{rule_id}' "
                             f"in kind {pap['content_from']}")
        content = tuple(by_id[r] for r in wanted)
        language = source.language
    return UnitRules(tuple(raw["videos"]), banners, covid, pap.get("required", False), content,
                     pap.get("language", language))


def _build(path: Path, data: dict[str, Any]) -> Profile:
    v = _Validator(path)
    top = {"schema": int, "name": str, "version": str, "title": dict, "source": str,
           "language": str, "transcription": dict, "reading": dict, "kinds": dict, "unit": dict}
    v.mapping(data, "", top, {"schema", "name", "version", "title", "kinds"})
    transcription = v.mapping(data.get("transcription", {}), "transcription",
                              {"beam_size": int, "batch_size": int, "vad": bool, "vocabulary": list}, set())
    for i, term in enumerate(transcription.get("vocabulary", [])):
        if not isinstance(term, str) or not term.strip():
            raise v.fail(f"transcription.vocabulary[{i}]",
                         f"expected a word or phrase (text), got {reprlib.repr(term)}")
    if data["schema"] != SCHEMA_VERSION:
        raise v.fail("schema", f"unsupported schema {data['schema']} (this zi-media reads {SCHEMA_VERSION})")
    if not data["kinds"]:
        raise v.fail("kinds", "no kinds defined")
    reading = _reading(v, data.get("reading", {}))
    kinds = {}
    for kind, raw in data["kinds"].items():
        where = f"kinds.{kind}"
        v.mapping(raw, where, {"title": dict, "language": str, "requirements": dict, "content": dict,
                               "min_speech_share": float}, {"title", "requirements"})
        share = raw.get("min_speech_share", 0.0)
        language = raw.get("language", data.get("language"))
        if language is None:
            raise v.fail(f"{where}.language", "missing required key (here or at the top)")
        reqs = {}
        for req_id, options in raw["requirements"].items():
            rwhere = f"{where}.requirements.{req_id}"
            if req_id not in REQUIREMENTS:
                raise v.fail(rwhere, f"unknown requirement (known: {', '.join(REQUIREMENTS)})")
            rtype = REQUIREMENTS[req_id]
            reqs[req_id] = v.mapping(options if options is not None else {}, rwhere,
                                     rtype.options, rtype.required)
            for key, allowed in rtype.choices.items():
                if key in reqs[req_id] and reqs[req_id][key] not in allowed:
                    raise v.fail(f"{rwhere}.{key}", f"expected one of {', '.join(allowed)}, "
                                 f"got {reprlib.repr(reqs[req_id][key])}")
        content = tuple(_content_rule(v, rule_id, spec, f"{where}.content.{rule_id}", reading)
                        for rule_id, spec in raw.get("content", {}).items())
        kinds[kind] = KindRules(kind, v.titles(raw["title"], f"{where}.title"), language, reqs, content,
                                float(share))
    language = data.get("language") or next(iter(kinds.values())).language
    return Profile(
        name=data["name"], version=data["version"], title=v.titles(data["title"], "title"),
        source=data.get("source", ""), path=path, kinds=kinds, transcription=transcription,
        unit=_unit_rules(v, data["unit"], kinds, language) if "unit" in data else None,
    )
