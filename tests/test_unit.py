"""Unit folders and batches, built in fixtures from real files: videos, banners, paparan."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from zi_media.cli import cli
from zi_media.errors import InputError
from zi_media.profiles import load_profile
from zi_media.report.i18n import text
from zi_media.types import ContentDetail, FileReport, Finding, Message, UnitReport
from zi_media.unit.check import assign, check_unit

from .conftest import SAMPLES, ffmpeg

GOOD = SAMPLES / "unit-good"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"

Build = Callable[[dict[str, object]], Path]


@pytest.fixture
def build(tmp_path: Path) -> Build:
    """build({"relative/path": source Path | bytes | str}) -> the unit folder."""
    def make(files: dict[str, object], name: str = "unit") -> Path:
        root = tmp_path / name
        root.mkdir(parents=True)
        for rel, content in files.items():
            target = root / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, Path):
                shutil.copyfile(content, target)
            elif isinstance(content, bytes):
                target.write_bytes(content)
            else:
                target.write_text(str(content))
        return root
    return make


def good_files() -> dict[str, object]:
    return {p.name: p for p in GOOD.iterdir()}


def statuses(unit: UnitReport) -> dict[str, str]:
    return {f.id: f.status for f in unit.findings}


def check(root: Path) -> UnitReport:
    return check_unit(root, load_profile())  # no transcription: content is tested elsewhere


def text_banner(path: Path, text: str) -> Path:
    ffmpeg("-f", "lavfi", "-i", "color=c=0x1565c0:size=1000x300", "-vf",
           f"drawtext=fontfile={FONT}:text='{text}':fontcolor=white:fontsize=56:x=(w-text_w)/2:y=(h-text_h)/2",
           "-frames:v", "1", str(path))
    return path


def test_all_good(build: Build) -> None:
    unit = check(build(good_files()))
    assert statuses(unit) == {"video_profile": "met", "video_development": "met", "banners": "met",
                              "paparan": "met"}
    assert unit.verdict == "met" and unit.unknown == ()
    (banner,) = unit.banners
    assert banner.passes and banner.says and "ZONA INTEGRITAS" in (banner.facts.text or "")
    assert [r.kind for r in unit.files] == ["profile", "development", "paparan"]
    assert all(f.status == "met" for f in unit.files[2].findings)  # six areas + innovations on slides


def test_banner_missing(build: Build) -> None:
    files = good_files()
    del files["banner-wbk.png"]
    unit = check(build(files))
    assert statuses(unit)["banners"] == "not_met" and unit.verdict == "not_met"


def test_banner_without_wbk_text(build: Build, tmp_path: Path) -> None:
    files = good_files()
    files["banner-wbk.png"] = text_banner(tmp_path / "b.png", "SELAMAT DATANG")
    unit = check(build(files))
    assert statuses(unit)["banners"] == "not_met"
    assert unit.banners[0].says is False and "SELAMAT DATANG" in (unit.banners[0].facts.text or "")


def test_small_tilted_banner_is_read_after_retries(build: Build, tmp_path: Path) -> None:
    import cv2

    image = cv2.imread(str(GOOD / "banner-wbk.png"))
    h, w = image.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), 8, 0.5)
    tilted = tmp_path / "tilted.png"
    cv2.imwrite(str(tilted), cv2.warpAffine(image, m, (w, h), borderValue=(200, 200, 200)))
    files = good_files()
    files["banner-wbk.png"] = tilted
    unit = check(build(files))
    assert statuses(unit)["banners"] == "met"
    assert unit.banners[0].facts.rotation_deg not in (None, 0.0)


def test_same_photo_twice_is_noticed(build: Build) -> None:
    unit = check(build({**good_files(), "poster wbk 2.png": GOOD / "banner-wbk.png"}))
    assert statuses(unit)["banner_duplicates"] == "warning"
    assert len(unit.duplicates) == 1


def test_too_small_or_undecodable_banner(build: Build, tmp_path: Path) -> None:
    small = tmp_path / "small.png"
    ffmpeg("-i", str(GOOD / "banner-wbk.png"), "-vf", "scale=300:105", str(small))
    unit = check(build({**good_files(), "banner-wbk.png": small, "spanduk rusak.jpg": b"\xff\xd8 not a jpeg"}))
    assert statuses(unit)["banners"] == "not_met"
    assert [(c.facts.decodable, c.large_enough) for c in unit.banners] == [(True, False), (False, False)]


def test_without_tesseract_the_text_is_a_warning(build: Build, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ZI_MEDIA_TESSERACT", "/nonexistent/tesseract")
    unit = check(build(good_files()))
    assert (statuses(unit)["banners"], statuses(unit)["ocr"]) == ("warning", "warning")
    assert unit.banners[0].says is None and unit.verdict == "met"


def test_corrupt_development_video(build: Build) -> None:
    whole = (GOOD / "pembangunan-zi.mp4").read_bytes()
    unit = check(build({**good_files(), "pembangunan-zi.mp4": whole[: len(whole) // 3]}))
    dev = next(r for r in unit.files if r.kind == "development")
    assert dev.findings[0].id == "playable" and dev.findings[0].status == "not_met"
    assert unit.verdict == "not_met"


def test_profile_video_too_long(build: Build) -> None:
    unit = check(build({**good_files(), "profil.mp4": SAMPLES / "unit-bad/profil.mp4"}))
    profile = next(r for r in unit.files if r.kind == "profile")
    assert {f.id: f.status for f in profile.findings}["duration"] == "not_met"


def test_empty_folder(build: Build) -> None:
    unit = check(build({}))
    assert set(statuses(unit).values()) == {"not_met"}
    assert set(statuses(unit)) == {"video_profile", "video_development", "banners", "paparan"}


def test_non_media_files_only(build: Build) -> None:
    unit = check(build({"catatan.txt": "halo", "anggaran.xlsx": b"PK\x03\x04"}))
    assert sorted(p.name for p in unit.unknown) == ["anggaran.xlsx", "catatan.txt"]
    assert unit.verdict == "not_met"


def test_two_candidates_ask_for_the_manifest_which_settles_it(build: Build) -> None:
    files = {**good_files(), "video zi final.mp4": GOOD / "pembangunan-zi.mp4"}
    unit = check(build(files))
    assert statuses(unit)["video_development"] == "not_met"
    ambiguous = unit.findings[1]
    assert (ambiguous.id, ambiguous.message.key) == ("video_development", "unit.ambiguous")
    assert ambiguous.message.params["files"] == "pembangunan-zi.mp4, video zi final.mp4"
    root = build({**files, "zi-media.yaml": "development: video zi final.mp4\nprofile: profil.mp4\n"
                  "banners: [banner-wbk.png]\npaparan: paparan.pptx\n"}, name="with-manifest")
    unit = check(root)
    assert unit.manifest and statuses(unit)["video_development"] == "met"
    assert [p.name for p in unit.unknown] == ["pembangunan-zi.mp4"]


def test_bad_manifest_is_an_input_error(build: Build) -> None:
    with pytest.raises(InputError, match='unknown key "video"'):
        check(build({"zi-media.yaml": "video: a.mp4\n"}))
    with pytest.raises(InputError, match=r'"nope\.mp4" is not a file'):
        check(build({"zi-media.yaml": "profile: nope.mp4\n"}, name="u2"))


@pytest.mark.slow  # starts Chromium
def test_paparan_as_pdf(build: Build, tmp_path: Path) -> None:
    html = tmp_path / "paparan.html"
    html.write_text("<h1>Area I Manajemen Perubahan</h1><p>Agen perubahan dan pakta integritas.</p>"
                    "<h1>Inovasi pelayanan</h1><p>Mendekatkan pelayanan kepada masyarakat.</p>")
    pdf = tmp_path / "paparan.pdf"
    subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                    "--disable-background-networking", "--disable-component-update", "--disable-sync",
                    f"--user-data-dir={tmp_path / 'chromium'}", f"--print-to-pdf={pdf}", html.as_uri()],
                   check=True, capture_output=True, timeout=120)
    files = {k: v for k, v in good_files().items() if k != "paparan.pptx"}
    unit = check(build({**files, "paparan.pdf": pdf}))
    content = {f.id: f.status for f in unit.files[-1].findings}
    assert content["paparan_area_1"] == "met" and content["paparan_innovations"] == "met"
    assert content["paparan_area_5"] == "not_met"


def test_a_paparan_named_by_a_phone_is_found_by_what_it_says(build: Build, tmp_path: Path) -> None:
    files = {k: v for k, v in good_files().items() if k != "paparan.pptx"}
    unit = check(build({**files, "DOC-20200901-WA0003.pptx": GOOD / "paparan.pptx"}, name="by-text"))
    found = next(f for f in unit.findings if f.id == "paparan")
    assert (found.status, found.message.key, found.measured) == ("met", "unit.found_by_text", "DOC-20200901-WA0003.pptx")
    assert unit.files[-1].kind == "paparan" and unit.unknown == ()
    other = tmp_path / "other.pdf"
    other.write_bytes(b"%PDF-1.4 not a presentation")  # unreadable: looked at, not it
    unit = check(build({**files, "DOC-20200902-WA0004.pdf": other}, name="not-it"))
    missing = next(f for f in unit.findings if f.id == "paparan")
    assert (missing.status, missing.message.key) == ("not_met", "unit.missing_looked")
    said = text(missing.message, "id")
    assert "DOC-20200902-WA0004.pdf" in said and "\u201cpaparan\u201d" in said and ".pptx/.pdf" in said
    assert [p.name for p in unit.unknown] == ["DOC-20200902-WA0004.pdf"]  # still listed among the other files


def test_a_manifest_may_only_name_the_unit_and_its_region(build: Build) -> None:
    manifest = "name: Pengadilan Negeri Sukamaju Kelas IA\nregion: Pengadilan Tinggi Bandung, Jawa Barat\n"
    root = build({**good_files(), "zi-media.yaml": manifest}, name="named")
    unit = check(root)
    assert statuses(unit) == {"video_profile": "met", "video_development": "met", "banners": "met", "paparan": "met"}
    assert (unit.title, unit.region, unit.unknown) == ("Pengadilan Negeri Sukamaju Kelas IA",
                                                       "Pengadilan Tinggi Bandung, Jawa Barat", ())
    r = CliRunner().invoke(cli, ["check", str(root), "--no-transcribe", "--format", "html"])
    assert "Pengadilan Negeri Sukamaju Kelas IA (Pengadilan Tinggi Bandung, Jawa Barat)" in r.stdout
    (root / "zi-media.yaml").write_text("name: [1, 2]\n")
    with pytest.raises(InputError, match='"name" must be text'):
        check(root)


def test_damaged_paparan(build: Build) -> None:
    unit = check(build({**good_files(), "paparan.pptx": b"PK\x03\x04 broken"}))
    assert statuses(unit)["paparan"] == "not_met"
    assert "cannot read the presentation" in str(unit.findings[-1].message.params["file"])


def test_cli_check_folder_text_and_json(build: Build) -> None:
    root = build(good_files(), name="PN Sukamaju Ünit")
    r = CliRunner().invoke(cli, ["check", str(root), "--no-transcribe", "--lang", "en"])
    assert r.exit_code == 0, r.output
    assert r.stdout.startswith(f"Unit: PN Sukamaju Ünit ({root})\n  [OK     ] Unit profile video: profil.mp4\n")
    assert r.stdout.rstrip().endswith("Unit verdict: MET (0 of 27 requirements not met)")
    r = CliRunner().invoke(cli, ["check", str(root), "--no-transcribe", "--format", "json"])
    doc = json.loads(r.stdout)
    assert (doc["unit"]["name"], doc["verdict"]) == ("PN Sukamaju Ünit", "met")
    assert doc["banners"][0]["says_zi_wbk_wbbm"] is True
    assert [f["profile"]["kind"] for f in doc["files"]] == ["profile", "development", "paparan"]


def run_batch_cli(*args: str) -> subprocess.CompletedProcess[str]:
    exe = Path(sys.executable).parent / "zi-media"
    return subprocess.run([str(exe), "batch", *args], capture_output=True, text=True, timeout=900)


@pytest.mark.slow  # starts a Dask cluster
def test_batch_goes_on_past_a_bad_unit(build: Build, tmp_path: Path) -> None:
    root = tmp_path / "kiriman"
    for name, files in {"PN Sukamaju Ünit": good_files(),
                        "unit bad": {"profil.mp4": SAMPLES / "unit-bad/profil.mp4"},
                        "broken manifest": {"zi-media.yaml": "[not, a, mapping]\n"},
                        "kosong": {}}.items():
        target = root / name
        target.mkdir(parents=True)
        for rel, src in files.items():
            (target / rel).write_bytes(src.read_bytes() if isinstance(src, Path) else str(src).encode())
    out = tmp_path / "laporan"
    r = run_batch_cli(str(root), "--jobs", "2", "--out", str(out), "--no-transcribe", "--lang", "en")
    assert r.returncode == 3, r.stderr  # a unit that could not be checked beats units not met
    rows = list(csv.DictReader((out / "summary.csv").open(encoding="utf-8-sig")))
    assert [(row["unit"], row["verdict"]) for row in rows] == [
        ("PN Sukamaju Ünit", "met"), ("broken manifest", "error"), ("kosong", "not_met"), ("unit bad", "not_met")]
    assert "expected a mapping" in rows[1]["error"]
    assert json.loads((out / "summary.json").read_text())[0]["html"] == "PN-Sukamaju-Ünit.html"
    for row in rows:
        if row["verdict"] != "error":
            assert (out / row["json"]).is_file() and (out / row["html"]).is_file()
    index = (out / "index.html").read_text()
    assert 'href="PN-Sukamaju-Ünit.html"' in index and "broken manifest" in index
    assert r.stdout.startswith(f"1 of 4 units met; reports in {out}\n")
    assert "  unit bad: NOT MET: ZI development video; Banners/posters; Presentation; Unit profile video: Duration\n" \
        in r.stdout  # which requirement of which video, by their titles
    assert "  broken manifest: COULD NOT BE CHECKED: " in r.stdout


@pytest.mark.slow
def test_html_report_in_headless_chromium(build: Build, tmp_path: Path) -> None:
    """The page a person opens: Chromium renders it offline and shows verdict and requirements."""
    from zi_media.report.html import render_html
    from zi_media.report.pictures import prepare

    unit = check(build({k: v for k, v in good_files().items() if k != "paparan.pptx"}, name="PN Sukamaju"))
    page = tmp_path / "laporan.html"
    page.write_text(render_html(unit, "id", prepare(unit)), encoding="utf-8")
    assert "http://" not in page.read_text() and "https://" not in page.read_text()  # self-contained
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
             "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp_path / 'chromium'}"]
    dom = subprocess.run(["chromium", *flags, "--dump-dom", page.as_uri()], capture_output=True,
                         text=True, check=True, timeout=120).stdout
    assert "Hasil: TIDAK MEMENUHI" in dom
    for title in ("Video profil", "Video pembangunan ZI", "Spanduk/poster", "Paparan", "Durasi", "Suara"):
        assert f"<b>{title}</b>" in dom, title
    assert dom.count('src="data:image/jpeg;base64,') >= 1  # the banner thumbnail
    shot = tmp_path / "shot.png"
    subprocess.run(["chromium", *flags, "--window-size=1100,1400", f"--screenshot={shot}", page.as_uri()],
                   capture_output=True, check=True, timeout=120)
    assert shot.stat().st_size > 20_000


def test_transparent_banner_is_read_on_white(build: Build, tmp_path: Path) -> None:
    """Black text on a transparent background: decoded as black on black it read as nothing."""
    import cv2
    import numpy as np

    image = cv2.imread(str(text_banner(tmp_path / "b.png", "ZONA INTEGRITAS MENUJU WBK")), cv2.IMREAD_GRAYSCALE)
    rgba = np.zeros((*image.shape, 4), dtype=np.uint8)
    rgba[..., 3] = np.where(image > 128, 255, 0)  # the letters opaque (black), the rest transparent
    path = tmp_path / "transparan.png"
    cv2.imwrite(str(path), rgba)
    unit = check(build({**good_files(), "banner-wbk.png": path}))
    assert unit.banners[0].says, unit.banners[0].facts.text


def test_zi_beside_wbk_counts_for_zona_integritas(build: Build, tmp_path: Path) -> None:
    unit = check(build({**good_files(), "banner-wbk.png": text_banner(tmp_path / "b.png", "PEMBANGUNAN ZI MENUJU WBK")}))
    assert statuses(unit)["banners"] == "met", unit.banners[0].facts.text


def test_without_the_indonesian_pack_it_says_what_to_install(build: Build, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    tessdata = tmp_path / "tessdata"
    tessdata.mkdir()
    shutil.copy("/usr/share/tesseract-ocr/5/tessdata/eng.traineddata", tessdata)
    monkeypatch.setenv("TESSDATA_PREFIX", str(tessdata))
    unit = check(build(good_files()))
    ocr = next(f for f in unit.findings if f.id == "ocr")
    assert (ocr.status, ocr.message.key) == ("warning", "banners.no_indonesian")
    assert unit.banners[0].facts.text  # read all the same, in English


@pytest.mark.slow  # every OCR retry runs until the budget is spent
def test_a_large_photo_without_the_phrase_is_read_within_the_budget(tmp_path: Path) -> None:
    import time

    import cv2
    import numpy as np

    from zi_media.unit.banners import OCR_BUDGET_S, read_banner

    rng = np.random.default_rng(7)
    photo = tmp_path / "IMG_20200901.jpg"
    cv2.imwrite(str(photo), cv2.GaussianBlur(rng.integers(0, 255, (3000, 4000, 3), dtype=np.uint8), (9, 9), 0))
    started = time.perf_counter()
    facts = read_banner(photo, [("zona integritas",), ("wbk",)])
    assert facts.decodable and (facts.width_px, facts.height_px) == (4000, 3000)
    assert time.perf_counter() - started < OCR_BUDGET_S + 10


def test_images_named_by_a_phone_are_banners_by_their_text(build: Build, tmp_path: Path) -> None:
    files = {k: v for k, v in good_files().items() if k != "banner-wbk.png"}
    files["IMG-20200901-WA0007.png"] = GOOD / "banner-wbk.png"  # the banner, as a chat app names it
    files["IMG-20200901-WA0008.png"] = text_banner(tmp_path / "x.png", "SELAMAT DATANG")  # a photo, not a banner
    unit = check(build(files))
    assert statuses(unit)["banners"] == "met"
    (banner,) = unit.banners
    assert (banner.facts.path.name, banner.decided_by) == ("IMG-20200901-WA0007.png", "content")
    assert [p.name for p in unit.unknown] == ["IMG-20200901-WA0008.png"]
    r = CliRunner().invoke(cli, ["check", str(unit.path), "--no-transcribe", "--lang", "en"])
    assert "IMG-20200901-WA0007.png (by its content) 1200x420 [OK]" in r.stdout


@pytest.mark.asr
@pytest.mark.slow  # transcribes both sample videos
@pytest.mark.xdist_group("samples")
def test_videos_named_by_a_phone_are_assigned_by_what_is_said(build: Build) -> None:
    from zi_media.file_check import TranscribeSettings

    files = {k: v for k, v in good_files().items() if not k.endswith(".mp4")}
    files["VID_20200901_101233.mp4"] = GOOD / "pembangunan-zi.mp4"
    files["WhatsApp Video 2020-09-01 at 10.12.33.mp4"] = GOOD / "profil.mp4"
    root = build(files)
    unit = check_unit(root, load_profile(), TranscribeSettings())
    by_id = {f.id: f for f in unit.findings}
    assert (by_id["video_development"].measured, by_id["video_development"].message.key) == (
        "VID_20200901_101233.mp4", "unit.found_by_content")
    assert by_id["video_profile"].measured == "WhatsApp Video 2020-09-01 at 10.12.33.mp4"
    assert "video_role" not in by_id and unit.unknown == ()
    assert [r.kind for r in unit.files] == ["profile", "development", "paparan"]
    assert check(root).findings[0].message.key == "unit.missing"  # without hearing them: no guess
    assert {f.id: f.status for f in check(root).findings}["video_role"] == "warning"


def _heard_as(path: str, kind: str, met: int, rules: int) -> FileReport:
    """A report of `path` checked as `kind`, `met` of its `rules` content rules met."""
    detail = ContentDetail({"en": "x"}, "met", 1.0, (), {})
    findings = tuple(Finding(f"r{i}", "met" if i < met else "warning", None, None, Message("x"), content=detail)
                     for i in range(rules))
    return FileReport("ma-2020", "1", kind, {"en": kind}, Path(path), None, findings)


def test_videos_go_to_the_kinds_that_fit_them_best_not_the_first_greedy_fit() -> None:
    """The development video meets the profile kind's one rule too (1 of 1) and 8 of its own 9:
    it is the development video, the other the profile video (a CPU that hears one area less
    made the greedy choice swap them)."""
    reports = {(Path("vid.mp4"), "profile"): _heard_as("vid.mp4", "profile", 1, 1),
               (Path("vid.mp4"), "development"): _heard_as("vid.mp4", "development", 8, 9),
               (Path("wa.mp4"), "profile"): _heard_as("wa.mp4", "profile", 1, 1),
               (Path("wa.mp4"), "development"): _heard_as("wa.mp4", "development", 2, 9)}
    taken = assign(reports, ["profile", "development"])
    assert {k: r.path.name for k, r in taken.items()} == {"profile": "wa.mp4", "development": "vid.mp4"}
    del reports[Path("wa.mp4"), "profile"]  # the other fits no kind: one kind is left to the manifest
    assert {k: r.path.name for k, r in assign(reports, ["profile", "development"]).items()} == {"development": "vid.mp4"}
