#!/usr/bin/env python3
"""Write zi_media/speech/voice_encoder.npz: Resemblyzer's voice encoder weights (Apache-2.0,
Resemble AI) as plain float16 arrays, so zi-media embeds voices with numpy alone (no torch at
run time, about 3 MB). Run once; needs torch and the Resemblyzer wheel (no install):
    pip download resemblyzer==0.1.4 --no-deps -d /tmp/rz && unzip -o /tmp/rz/*.whl -d /tmp/rz
    python bench/make_voice_encoder.py /tmp/rz/resemblyzer/pretrained.pt
"""

from __future__ import annotations

import hashlib
import sys
from pathlib import Path

import numpy as np
import torch

OUT = Path(__file__).resolve().parents[1] / "zi_media" / "speech" / "voice_encoder.npz"


def main() -> None:
    source = Path(sys.argv[1])
    state = torch.load(source, map_location="cpu", weights_only=False)["model_state"]
    arrays = {k.replace(".", "_"): v.numpy().astype(np.float16) for k, v in state.items()
              if k.startswith(("lstm.", "linear."))}
    np.savez_compressed(OUT, **arrays)
    print(f"{OUT}: {len(arrays)} arrays from {source} (sha256 {hashlib.sha256(source.read_bytes()).hexdigest()[:12]})")


if __name__ == "__main__":
    main()
