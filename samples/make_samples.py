#!/usr/bin/env python3
"""Make the sample submissions under samples/ with ffmpeg and espeak-ng (Indonesian voice).

Deterministic: fixed texts, no randomness, bit-exact encoder flags, one encoder thread.
Run from anywhere: `python samples/make_samples.py [OUT_DIR]` (default: beside this script). Needs ffmpeg, espeak-ng and the DejaVu
fonts (Debian: ffmpeg espeak-ng fonts-dejavu-core), which the project's setup installs.

  unit-good/  follows the MA 2020 letter: profile video under 5 minutes, development video
              under 15 minutes naming the six areas, a testimonial and an innovation,
              a banner saying the unit is building Zona Integritas menuju WBK/WBBM, and a
              paparan (PPTX) on the six areas and the innovations.
  unit-bad/   breaks it: a profile video over 5 minutes (5:20) and no banner.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf")
UNIT = "Pengadilan Negeri Sukamaju"

PROFILE_NARRATION = f"""
Selamat datang di {UNIT}. Kami sedang membangun zona integritas menuju wilayah bebas dari
korupsi dan wilayah birokrasi bersih dan melayani. Kami berkomitmen memberikan pelayanan
yang cepat, mudah, transparan, dan tanpa pungutan liar. Stop gratifikasi. Bantu kami untuk
tetap bersih dan berintegritas. Dukung {UNIT} menuju WBK.
"""

DEVELOPMENT_NARRATION = f"""
Video pembangunan zona integritas {UNIT} menuju wilayah bebas dari korupsi.

Area pertama, manajemen perubahan. Pimpinan menandatangani pakta integritas dan membentuk
tim kerja pembangunan zona integritas. Kami menetapkan agen perubahan, dan pimpinan menjadi
role model bagi seluruh pegawai untuk mengubah pola pikir dan budaya kerja.

Area kedua, penataan tata laksana. Setiap kegiatan utama memiliki standar operasional
prosedur yang mengacu pada peta proses bisnis. Persuratan memakai aplikasi elektronik, dan
informasi perkara terbuka melalui keterbukaan informasi publik.

Area ketiga, penataan sistem manajemen sumber daya manusia. Kami menyusun analisis beban
kerja dan peta jabatan, mengadakan pelatihan di tempat kerja, dan menegakkan disiplin
pegawai dengan penghargaan dan sanksi.

Area keempat, penguatan akuntabilitas kinerja. Pimpinan menandatangani perjanjian kinerja,
kami memantau indikator kinerja utama setiap triwulan, dan laporan kinerja disusun tepat waktu.

Area kelima, penguatan pengawasan. Kami membentuk unit pengendalian gratifikasi, menerapkan
sistem pengendalian intern pemerintah, menangani pengaduan masyarakat, dan membuka whistle
blowing system melalui aplikasi siwas.

Area keenam, peningkatan kualitas pelayanan publik. Standar pelayanan dan maklumat pelayanan
dipasang di ruang pelayanan terpadu satu pintu. Kami melakukan survei kepuasan masyarakat
setiap triwulan dan menyediakan layanan bagi penyandang disabilitas.

Dampaknya dirasakan oleh masyarakat pencari keadilan: indeks kepuasan masyarakat naik, dan
pengaduan tentang pungutan liar turun.

Testimoni. Nama saya Budi, saya tokoh masyarakat desa Sukamaju. Saya baru saja selesai
mengurus perkara minggu lalu. Pelayanannya cepat, petugasnya ramah, dan tidak ada pungutan
biaya di luar ketentuan. Saya merasa puas.

Nama saya Siti, saya pengguna layanan. Kemarin saya mengambil akta cerai. Prosesnya mudah
dan tidak berbelit-belit. Terima kasih {UNIT}.

Inovasi kami lahir dari kebutuhan masyarakat. Inovasi pelayanan bernama layanan antar akta
ke rumah memudahkan pencari keadilan di desa yang jauh. Inovasi integritas berupa audio anti
gratifikasi diputar sebelum setiap sidang untuk mencegah korupsi, kolusi, dan nepotisme.
"""

PAPARAN_SLIDES = [
    ("Paparan Pembangunan Zona Integritas", f"{UNIT} menuju Wilayah Bebas dari Korupsi"),
    ("Area I: Manajemen Perubahan", "Tim kerja ZI, pakta integritas, agen perubahan, pimpinan sebagai role model"),
    ("Area II: Penataan Tata Laksana", "SOP berdasarkan peta proses bisnis; SPBE dan e-office; keterbukaan informasi publik"),
    ("Area III: Penataan Sistem Manajemen SDM", "Analisis beban kerja, peta jabatan, diklat di tempat kerja, disiplin pegawai"),
    ("Area IV: Penguatan Akuntabilitas Kinerja", "Perjanjian kinerja, indikator kinerja utama, laporan kinerja tepat waktu"),
    ("Area V: Penguatan Pengawasan", "Unit pengendalian gratifikasi, SPIP, pengaduan masyarakat, whistle blowing system SIWAS"),
    ("Area VI: Peningkatan Kualitas Pelayanan Publik", "Standar pelayanan, maklumat pelayanan, PTSP, survei kepuasan masyarakat"),
    ("Inovasi", "Inovasi pelayanan: layanan antar akta ke rumah, mendekatkan pelayanan kepada masyarakat. "
                "Inovasi integritas: audio anti gratifikasi untuk mencegah korupsi, kolusi dan nepotisme."),
]

BANNER_LINES = ("KAMI SEDANG MEMBANGUN", "ZONA INTEGRITAS", "MENUJU WBK / WBBM", UNIT.upper())

BITEXACT = ["-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact",
            "-map_metadata", "-1", "-threads", "1"]


def run(cmd: list[str]) -> None:
    subprocess.run(cmd, check=True)


def speak(text: str, wav: Path) -> None:
    run(["espeak-ng", "-v", "id", "-s", "150", "-w", str(wav), " ".join(text.split())])


def video(narration: str, title: str, out: Path, pad_to_s: float | None = None) -> None:
    """A title card over the spoken narration, optionally padded with silence. The title
    drifts a little so the picture is never frozen, and the voice is 4 dB down so its peaks
    stay below -1 dBTP: the samples pass the picture and sound checks."""
    with tempfile.TemporaryDirectory() as tmp:
        wav = Path(tmp) / "speech.wav"
        speak(narration, wav)
        audio_filter = ["-af", "volume=-4dB,apad", "-t", str(pad_to_s)] if pad_to_s else ["-af", "volume=-4dB"]
        run(["ffmpeg", "-v", "error", "-y",
             "-f", "lavfi", "-i", "color=c=0x1f4e79:size=640x360:rate=5",
             "-i", str(wav), *audio_filter,
             "-vf", f"drawtext=fontfile={FONT}:text='{title}':fontcolor=white:fontsize=28:"
                    "x=(w-text_w)/2+8*sin(t):y=(h-text_h)/2",
             "-shortest", "-c:v", "libx264", "-preset", "veryfast", "-tune", "stillimage",
             "-crf", "35", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "32k", "-ac", "1",
             "-ar", "16000", *BITEXACT, str(out)])


def banner(out: Path) -> None:
    draw = ",".join(
        f"drawtext=fontfile={FONT}:text='{line}':fontcolor=white:fontsize={54 if i < 3 else 34}:"
        f"x=(w-text_w)/2:y={60 + i * 85}"
        for i, line in enumerate(BANNER_LINES)
    )
    run(["ffmpeg", "-v", "error", "-y", "-f", "lavfi", "-i", "color=c=0xb71c1c:size=1200x420",
         "-vf", draw, "-frames:v", "1", *BITEXACT, str(out)])


def paparan(out: Path) -> None:
    """A PPTX with one slide per area; zip entries get a fixed date so the bytes repeat."""
    import zipfile
    from io import BytesIO

    from pptx import Presentation

    deck = Presentation()
    for title, body in PAPARAN_SLIDES:
        slide = deck.slides.add_slide(deck.slide_layouts[1])
        slide.shapes.title.text = title
        slide.placeholders[1].text = body
    buf = BytesIO()
    deck.save(buf)
    with zipfile.ZipFile(buf) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            fixed = zipfile.ZipInfo(item.filename, date_time=(2020, 1, 1, 0, 0, 0))
            fixed.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(fixed, src.read(item.filename))


def main(argv: list[str]) -> int:
    if not FONT.is_file():
        print(f"missing font {FONT}: install fonts-dejavu-core", file=sys.stderr)
        return 2
    out = Path(argv[0]) if argv else HERE
    good, bad = out / "unit-good", out / "unit-bad"
    for d in (good, bad):
        d.mkdir(parents=True, exist_ok=True)
    video(PROFILE_NARRATION, "Video Profil - " + UNIT, good / "profil.mp4")
    video(DEVELOPMENT_NARRATION, "Pembangunan Zona Integritas", good / "pembangunan-zi.mp4")
    banner(good / "banner-wbk.png")
    paparan(good / "paparan.pptx")
    video(PROFILE_NARRATION, "Video Profil - " + UNIT, bad / "profil.mp4", pad_to_s=320)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
