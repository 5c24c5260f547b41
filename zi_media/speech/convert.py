"""A CTranslate2 Whisper model.bin converted into an openai-whisper checkpoint.

The model.bin layout and the name mapping between the two formats are described in
docs/ct2-format.md. Used once per cache folder, so openai-whisper runs offline on the
bundled weights and both engines can be compared on the same model.
"""

from __future__ import annotations

import re
import struct
from pathlib import Path
from typing import Any, BinaryIO

from ..files import atomic_path

# CTranslate2 dtype codes -> numpy dtype names (model.bin layout, see the module docstring)
_DTYPES = {0: "float32", 1: "int8", 2: "int16", 3: "int32", 4: "float16"}


def _read_ct2(f: BinaryIO) -> dict[str, Any]:
    """All variables of a CTranslate2 model.bin, aliases resolved, as numpy arrays."""
    import numpy as np

    def u32() -> int:
        return int(struct.unpack("<I", f.read(4))[0])

    def text() -> str:
        (n,) = struct.unpack("<H", f.read(2))
        return f.read(n)[:-1].decode()

    u32(), text(), u32()  # binary version, spec name, spec revision
    variables: dict[str, Any] = {}
    for _ in range(u32()):
        name = text()
        rank = f.read(1)[0]
        dims = [u32() for _ in range(rank)]
        dtype = _DTYPES[f.read(1)[0]]
        data = f.read(u32())
        variables[name] = np.frombuffer(data, dtype=dtype).reshape(dims)
    for _ in range(u32()):
        alias, target = text(), text()
        variables[alias] = variables[target]
    return variables


def _split(a: Any, n: int) -> list[Any]:
    return list(a.reshape(n, -1, *a.shape[1:])) if a.ndim > 1 else list(a.reshape(n, -1))


def convert(ct2_model_bin: Path, out: Path) -> None:
    """Write an openai-whisper checkpoint ({"dims", "model_state_dict"}) from a CT2 model.bin."""
    import torch

    with open(ct2_model_bin, "rb") as f:
        v = _read_ct2(f)
    sd: dict[str, Any] = {}

    def put(name: str, array: Any) -> None:
        sd[name] = torch.from_numpy(array.astype("float32"))

    def linear(dst: str, src: str, bias: bool = True) -> None:
        put(f"{dst}.weight", v[f"{src}/weight"])
        if bias:
            put(f"{dst}.bias", v[f"{src}/bias"])

    def norm(dst: str, src: str) -> None:
        put(f"{dst}.weight", v[f"{src}/gamma"])
        put(f"{dst}.bias", v[f"{src}/beta"])

    def self_attention(dst: str, src: str) -> None:
        w, b = _split(v[f"{src}/linear_0/weight"], 3), _split(v[f"{src}/linear_0/bias"], 3)
        for i, part in enumerate(("query", "key", "value")):
            put(f"{dst}.{part}.weight", w[i])
            if part != "key":  # openai-whisper's key projection has no bias (CT2 stores zeros)
                put(f"{dst}.{part}.bias", b[i])
        linear(f"{dst}.out", f"{src}/linear_1")

    def mlp(dst: str, src: str) -> None:
        linear(f"{dst}.mlp.0", f"{src}/ffn/linear_0")
        linear(f"{dst}.mlp.2", f"{src}/ffn/linear_1")
        norm(f"{dst}.mlp_ln", f"{src}/ffn/layer_norm")

    def layers(prefix: str) -> int:
        return len({m[1] for k in v if (m := re.match(rf"{prefix}/layer_(\d+)/", k))})

    n_audio_layer, n_text_layer = layers("encoder"), layers("decoder")
    linear("encoder.conv1", "encoder/conv1")
    linear("encoder.conv2", "encoder/conv2")
    put("encoder.positional_embedding", v["encoder/position_encodings/encodings"])
    for i in range(n_audio_layer):
        dst, src = f"encoder.blocks.{i}", f"encoder/layer_{i}"
        self_attention(f"{dst}.attn", f"{src}/self_attention")
        norm(f"{dst}.attn_ln", f"{src}/self_attention/layer_norm")
        mlp(dst, src)
    norm("encoder.ln_post", "encoder/layer_norm")
    put("decoder.token_embedding.weight", v["decoder/embeddings/weight"])
    put("decoder.positional_embedding", v["decoder/position_encodings/encodings"])
    for i in range(n_text_layer):
        dst, src = f"decoder.blocks.{i}", f"decoder/layer_{i}"
        self_attention(f"{dst}.attn", f"{src}/self_attention")
        norm(f"{dst}.attn_ln", f"{src}/self_attention/layer_norm")
        linear(f"{dst}.cross_attn.query", f"{src}/attention/linear_0")
        kw, kb = _split(v[f"{src}/attention/linear_1/weight"], 2), _split(v[f"{src}/attention/linear_1/bias"], 2)
        put(f"{dst}.cross_attn.key.weight", kw[0])
        put(f"{dst}.cross_attn.value.weight", kw[1])
        put(f"{dst}.cross_attn.value.bias", kb[1])
        linear(f"{dst}.cross_attn.out", f"{src}/attention/linear_2")
        norm(f"{dst}.cross_attn_ln", f"{src}/attention/layer_norm")
        mlp(dst, src)
    norm("decoder.ln", "decoder/layer_norm")
    conv1 = v["encoder/conv1/weight"]
    dims = {
        "n_mels": conv1.shape[1], "n_audio_ctx": v["encoder/position_encodings/encodings"].shape[0],
        "n_audio_state": conv1.shape[0], "n_audio_head": int(v["encoder/num_heads"]),
        "n_audio_layer": n_audio_layer, "n_vocab": v["decoder/embeddings/weight"].shape[0],
        "n_text_ctx": v["decoder/position_encodings/encodings"].shape[0],
        "n_text_state": v["decoder/embeddings/weight"].shape[1],
        "n_text_head": int(v["decoder/num_heads"]), "n_text_layer": n_text_layer,
    }
    with atomic_path(out) as tmp:
        torch.save({"dims": {k: int(x) for k, x in dims.items()}, "model_state_dict": sd}, tmp)
