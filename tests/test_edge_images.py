"""Banner images as phones, chat apps and folders really deliver them: turned by an EXIF tag or
not at all, animated with a blank first frame, 10,000 frames long, thousands of thumbnails,
hundreds of copies of one photo. Every image is drawn here with Pillow."""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pytest
from click.testing import CliRunner
from PIL import Image, ImageDraw, ImageFont, ImageOps

from zi_media.cli import cli
from zi_media.profiles import load_profile
from zi_media.report.text import render_unit_text
from zi_media.types import BannerFacts, UnitReport
from zi_media.unit import banners
from zi_media.unit.banners import duplicate_groups, read_banner, upright
from zi_media.unit.check import check_unit

FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"
LINES = ("MEMBANGUN ZONA INTEGRITAS", "MENUJU WBK")
GROUPS = load_profile().unit.banners.phrases  # type: ignore[union-attr]  # the default profile has banner rules


def banner(width: int = 1000, height: int = 400) -> Image.Image:
    """The banner's text, large, dark on white, upright."""
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    font = ImageFont.truetype(FONT, width // 17)
    for i, line in enumerate(LINES):
        draw.text((width // 2, height * (i + 1) // 3), line, fill=(10, 30, 120), font=font, anchor="mm")
    return image


def unit(root: Path, files: dict[str, Image.Image | bytes]) -> Path:
    root.mkdir()
    for name, content in files.items():
        if isinstance(content, bytes):
            (root / name).write_bytes(content)
        else:
            content.save(root / name)
    return root


def banner_line(report: UnitReport, name: str) -> str:
    return next(line.strip() for line in render_unit_text(report, "en").splitlines() if line.strip().startswith(name))


def status(report: UnitReport, finding: str) -> str:
    return next(f.status for f in report.findings if f.id == finding)


@pytest.mark.parametrize("orientation", range(1, 9))
def test_the_exif_orientation_is_applied_as_pillow_does(orientation: int) -> None:
    stored = Image.fromarray(np.arange(6 * 4 * 3, dtype=np.uint8).reshape(4, 6, 3))
    exif = Image.Exif()
    exif[0x0112] = orientation
    stored.info["exif"] = exif.tobytes()
    expected = np.asarray(ImageOps.exif_transpose(stored))
    assert np.array_equal(upright(np.asarray(stored), orientation), expected)


def test_a_phone_photo_turned_by_its_exif_tag_is_measured_and_read_upright(tmp_path: Path) -> None:
    stored = banner(800, 300).transpose(Image.Transpose.ROTATE_90)  # stored 300x800, shown turned clockwise
    exif = Image.Exif()
    exif[0x0112] = 6
    path = tmp_path / "banner-wbk.jpg"
    stored.save(path, quality=95, exif=exif)
    report = check_unit(unit(tmp_path / "u", {path.name: path.read_bytes()}), load_profile())
    (c,) = report.banners
    assert (c.facts.width_px, c.facts.height_px, c.facts.rotation_deg) == (800, 300, 0.0)
    assert c.passes and status(report, "banners") == "met", c.facts.text
    assert banner_line(report, path.name).startswith("banner-wbk.jpg (by its name) 800x300 [OK]")


@pytest.mark.parametrize(("turn", "read_at"), [
    (Image.Transpose.ROTATE_90, 270.0),  # stored a quarter anticlockwise (300x800), no tag says so
    (Image.Transpose.ROTATE_180, 180.0)])  # upside down
def test_a_banner_turned_without_exif_is_read_at_a_quarter_turn(
        tmp_path: Path, turn: Image.Transpose, read_at: float) -> None:
    report = check_unit(unit(tmp_path / "u", {"spanduk-wbk.png": banner(800, 300).transpose(turn)}), load_profile())
    (c,) = report.banners
    assert c.passes and c.facts.rotation_deg == read_at, c.facts.text
    assert banner_line(report, "spanduk-wbk.png").startswith("spanduk-wbk.png (by its name) 800x300 [OK]")


def animation(path: Path, frames: list[Image.Image]) -> Path:
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=500, loop=0,
                   **({"lossless": True} if path.suffix == ".webp" else {}))
    return path


@pytest.mark.parametrize("name", ["banner-wbk.gif", "poster-wbk.webp"])
def test_an_animated_banner_is_read_past_its_blank_first_frame(tmp_path: Path, name: str) -> None:
    text = banner()
    path = animation(tmp_path / name, [Image.new("RGB", text.size, "white"), text,
                                       ImageOps.invert(text)])
    report = check_unit(unit(tmp_path / "u", {name: path.read_bytes()}), load_profile())
    (c,) = report.banners
    assert (c.passes, c.facts.frames, c.facts.frame) == (True, 3, 1), c.facts.text
    assert banner_line(report, name).startswith(f"{name} (by its name) 1000x400, frame 2 of 3 read [OK]")


def long_gif(path: Path, first: list[Image.Image], frames: int) -> Path:
    """A GIF of `frames` frames: `first`, then the last of them again and again (Pillow stores
    it as a one-pixel change, repeated here as bytes: saving 10,000 frames would take long)."""
    changed = first[-1].copy()
    changed.putpixel((0, 0), (255, 0, 0))
    animation(path, [*first, changed])
    data = path.read_bytes()
    block = data[data.rindex(b"\x21\xf9\x04"):-1]  # the last frame: its control extension to the trailer
    path.write_bytes(data[:-1] + block * (frames - len(first) - 1) + b"\x3b")
    with Image.open(path) as image:
        assert image.n_frames == frames
    return path


def test_a_gif_of_10000_frames_is_not_decoded_whole(tmp_path: Path) -> None:
    text = banner()
    blank = Image.new("RGB", text.size, "white")
    path = long_gif(tmp_path / "banner.gif", [blank, text], 10_000)
    started = time.perf_counter()
    facts = read_banner(path, GROUPS)
    assert (facts.frames, facts.frame) == (10_000, 1) and facts.text and "ZONA INTEGRITAS" in facts.text
    faded = read_banner(long_gif(tmp_path / "blank.gif", [blank], 10_000), GROUPS, retry_unread=False)
    assert (faded.decodable, faded.frames, faded.frame, faded.text) == (True, 10_000, 0, "")
    assert time.perf_counter() - started < 10


def test_thousands_of_small_unnamed_images_are_not_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    small = Image.new("RGB", (160, 120), "white")
    ImageDraw.Draw(small).text((10, 50), "IMG", fill="black")
    path = tmp_path / "small.png"
    small.save(path)
    data = path.read_bytes()
    files: dict[str, Image.Image | bytes] = {f"IMG_{i:04d}.png": data for i in range(3000)}
    files["banner-kecil.png"] = banner(300, 120)  # named a banner: still judged, as too small
    root = unit(tmp_path / "u", files)
    readings = []
    real = banners._ocr

    def ocr(image: object, exe: str) -> str:
        readings.append(image)
        assert len(readings) <= len(banners.OCR_ANGLES) + len(banners.OCR_QUARTER_TURNS) + 1, "a thumbnail was read"
        return real(image, exe)

    monkeypatch.setattr(banners, "_ocr", ocr)
    started = time.perf_counter()
    r = CliRunner().invoke(cli, ["check", str(root), "--no-transcribe", "--lang", "en"])
    assert time.perf_counter() - started < 30
    assert "banner-kecil.png (by its name) 300x120 [FAIL]" in r.stdout
    assert "IMG_2999.png" in r.stdout and len(r.stdout) < 64_000  # listed once, among the other files


def test_copies_of_one_photo_are_one_group(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZI_MEDIA_TESSERACT", "/nonexistent/tesseract")  # sizes and hashes only: no OCR
    rng = np.random.default_rng(1)

    def photo() -> bytes:
        noise = Image.fromarray(rng.integers(0, 255, (24, 48, 3), dtype=np.uint8)).resize((480, 240))
        path = tmp_path / "photo.png"
        noise.save(path)
        return path.read_bytes()

    same = photo()
    files: dict[str, Image.Image | bytes] = {f"IMG_{i:04d}.png": same for i in range(400)}
    pairs = [photo() for _ in range(11)]
    files |= {f"foto_{k:02d}_{copy}.png": data for k, data in enumerate(pairs) for copy in "ab"}
    root = unit(tmp_path / "u", files)
    report = check_unit(root, load_profile())
    assert sorted(len(g) for g in report.duplicates) == [2] * 11 + [400]
    text = render_unit_text(report, "en")
    line = next(s for s in text.splitlines() if "same photo" in s)
    assert line.count(".png") == 5 + 2 * 9 and "+395 more" in line and line.endswith("+2 more")
    assert len(text) < 20_000


def test_3000_hashes_are_grouped_in_well_under_a_second() -> None:
    rng = np.random.default_rng(3)
    hashes = [int(h) for h in rng.integers(0, 2**63, 3000, dtype=np.int64)]
    facts = [BannerFacts(Path(f"{i}.png"), True, 500, 300, None, h) for i, h in enumerate(hashes)]
    facts += [BannerFacts(Path(f"copy{i}.png"), True, 500, 300, None, hashes[0] ^ (1 << i)) for i in range(6)]
    started = time.perf_counter()
    groups = duplicate_groups(facts)
    assert time.perf_counter() - started < 1
    assert groups == [[0, *range(3000, 3006)]]
