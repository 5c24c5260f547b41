"""Coverage: normalising, fuzzy matching, negation, passages, evidence; the evaluation floor."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from zi_media.cli import cli
from zi_media.content import learned
from zi_media.content.coverage import content_findings, cover
from zi_media.content.normalize import normalize, number_words
from zi_media.errors import ProfileError
from zi_media.profiles import load_profile
from zi_media.types import Segment, Transcript

from .coverage_eval.evaluate import HERE as EVAL_DIR
from .coverage_eval.evaluate import (
    REAL,
    SEALED,
    agreement,
    false_met,
    marked,
    outcomes,
    real_cases,
    real_outcomes,
    site,
    table,
)

DEV = load_profile().rules("development").content


def timed(*lines: tuple[float, float, str]) -> Transcript:
    return Transcript(tuple(Segment(a, b, t, 0.9) for a, b, t in lines), "id", "test", "test", {}, 0.0)


def judge(transcript: Transcript, requirement: str, learned: bool = True):
    """One requirement's result, by the shipped judgement or by the phrase rules alone."""
    return next(r for r in cover(transcript, DEV, **({} if learned else {"scorer": None})) if r.rule.id == requirement)


@pytest.mark.parametrize(("n", "words"), [(0, "nol"), (11, "sebelas"), (17, "tujuh belas"),
                                          (45, "empat puluh lima"), (100, "seratus"),
                                          (2016, "dua ribu enam belas"), (1000000, "satu juta")])
def test_number_words(n: int, words: str) -> None:
    assert number_words(n) == words


def test_normalize_case_punctuation_hyphens_numbers() -> None:
    assert normalize("E-Court, SIPP & PERMA 7/2016!") == [
        "e", "court", "sipp", "perma", "tujuh", "dua", "ribu", "enam", "belas"]
    assert normalize("Rp1.750.000") == ["rp", "satu", "juta", "tujuh", "ratus", "lima", "puluh", "ribu"]


@pytest.mark.parametrize("said", ["Area 1, manajemen perubahan.", "Area I: Manajemen Perubahan",
                                  "area pertama manajemen perubahan", "Area ke-1 manajemen perubahan"])
def test_an_area_only_named_is_weak_until_its_work_is_told(said: str) -> None:
    r = judge(timed((10.0, 14.0, said)), "area_1")
    assert (r.coverage, r.score, r.heard) == ("weak", 0.0, pytest.approx(2.0))
    assert {(e.start_s, e.passage) for e in r.evidence} == {(10.0, "named")}
    told = judge(timed((10.0, 14.0, said), (14.5, 19.0, "Kami menetapkan lima agen perubahan.")), "area_1")
    assert told.coverage == "met" and {e.passage for e in told.evidence} == {"describes"}


def test_a_garbled_area_name_is_still_heard() -> None:
    """From the real model on espeak-ng speech: both names heard, each a little off."""
    r = judge(timed((6.8, 9.8, "Arerah pertama, mana jaman perubahan?")), "area_1")
    assert r.coverage == "weak" and 1.5 < r.heard < 2.0
    assert [e.phrase for e in r.evidence] == ["area pertama", "manajemen perubahan"]


def test_work_of_another_institution_is_not_the_units() -> None:
    kpk = judge(timed((0.0, 5.0, "KPK membentuk unit pengendalian gratifikasi di setiap kementerian.")), "area_5")
    own = judge(timed((0.0, 5.0, "Kami membentuk unit pengendalian gratifikasi.")), "area_5")
    assert (kpk.coverage, own.coverage) == ("weak", "met")
    assert [e.passage for e in kpk.evidence] == ["other"]
    # the unit named first acts; "di pengadilan" only places, "ke KPK" only addresses
    placed = judge(timed((0.0, 5.0, "Mahkamah Agung menerapkan whistle blowing system di pengadilan.")), "area_5")
    addressed = judge(timed((0.0, 5.0, "Pengadilan menerapkan whistle blowing system yang terhubung ke KPK.")), "area_5")
    assert (placed.coverage, addressed.coverage) == ("weak", "met")


def test_another_kind_of_court_is_another_institution() -> None:
    """In a district court's text, the high court's innovation is not the unit's."""
    said = timed((0.0, 4.0, "Pengadilan Negeri Sukamaju menggelar sosialisasi."),
                 (4.0, 9.0, "Aplikasi Kembang Desa diluncurkan Pengadilan Tinggi Jawa Tengah untuk memudahkan pencari keadilan."))
    high = timed((0.0, 5.0, "Pengadilan Tinggi Jawa Tengah meluncurkan aplikasi yang memudahkan pencari keadilan."))
    assert (judge(said, "innovations").coverage, judge(high, "innovations").coverage) == ("weak", "met")


def test_a_sentence_without_an_institution_continues_the_last_one_named() -> None:
    said = timed((0.0, 4.0, "KPK menangkap seorang hakim."), (4.0, 8.0, "Ia diduga menerima gratifikasi dan suap."))
    assert judge(said, "area_5").coverage == "weak"
    (finding,) = [f for f in content_findings(said, DEV) if f.id == "area_5"]
    assert finding.message.key == "content.others"


@pytest.mark.parametrize(("said", "why"), [
    ("Pengendalian gratifikasi adalah upaya mencegah pemberian yang terkait jabatan.", "general"),
    ("Semoga pengendalian gratifikasi segera diterapkan.", "general"),
    ("Kami harus menerapkan pengendalian gratifikasi.", "general"),
])
def test_definitions_hopes_and_duties_are_not_work_done(said: str, why: str) -> None:
    r = judge(timed((0.0, 5.0, said)), "area_5")
    assert r.coverage == "weak" and {e.passage for e in r.evidence} == {why}


def test_a_negated_duty_is_no_duty() -> None:
    """The rules' reading (the learned judgement weighs this one sentence on its own)."""
    r = judge(timed((0.0, 5.0, "Aplikasi kami memudahkan warga mendaftar tanpa harus datang.")), "innovations",
              learned=False)
    assert r.coverage == "met"


def test_the_learned_judgement_ships_for_the_profiles_requirements() -> None:
    scorer = learned.load()
    assert scorer is not None and "real corpus" in scorer.identity
    ids = {r.id for kind in ("development", "profile") for r in load_profile().rules(kind).content}
    assert set(scorer.models) <= ids and len(scorer.models) >= 5
    for m in scorer.models.values():
        assert m.weights.shape == (learned.DIM + len(learned.MEASURES),) and 0.0 < m.threshold < 1.0


def test_the_model_finds_work_described_without_the_profiles_phrases() -> None:
    """Fetching elderly people's files at their homes is area 6's work (services for the
    elderly) though no phrase of it is said: the rules hear nothing, the model reads the
    sentence; the finding says so and shows the sentence with its probability."""
    said = timed((0.0, 6.0, "Petugas kami menjemput berkas warga lanjut usia langsung ke rumahnya."))
    assert judge(said, "area_6", learned=False).coverage == "missing"
    r = judge(said, "area_6")
    assert (r.coverage, r.by_model) == ("met", True) and r.learned is not None and r.learned >= r.learned_threshold
    (e,) = [e for e in r.evidence if e.model_score is not None]
    assert e.model_score >= 0.5 and e.heard.startswith("petugas kami menjemput") and e.phrase == ""
    (finding,) = [f for f in content_findings(said, DEV) if f.id == "area_6"]
    assert finding.message.key == "content.met_model" and finding.content.learned == r.learned


def test_the_model_reads_only_the_units_work_done() -> None:
    """Another body's work, a definition, a hope: the model may not find a requirement there
    either (the same sentences the rules set aside)."""
    for said in ("KPK membentuk unit pengendalian gratifikasi di setiap kementerian.",
                 "Pengendalian gratifikasi adalah upaya mencegah pemberian yang terkait jabatan.",
                 "Semoga pengendalian gratifikasi segera diterapkan."):
        r = judge(timed((0.0, 5.0, said)), "area_5")
        assert r.coverage != "met" and not [e for e in r.evidence if e.model_score is not None], said


def test_word_forms_of_one_root_match() -> None:
    """pencanangan / mencanangkan: the same work, another form."""
    r = judge(timed((0.0, 5.0, "Pengadilan Negeri Sukamaju mencanangkan pembangunan zona integritas.")), "area_1")
    assert r.coverage == "met" and r.evidence[0].phrase == "pencanangan pembangunan zona integritas"


def test_together_groups_must_meet_in_one_passage() -> None:
    """An innovation needs what it does: the bare word is weak, the word with its use is met."""
    bare = judge(timed((0.0, 4.0, "Kami terus berinovasi dan punya banyak inovasi.")), "innovations")
    used = judge(timed((0.0, 4.0, "Kami meluncurkan aplikasi Si Cepat."),
                       (4.5, 8.0, "Aplikasi itu memudahkan pencari keadilan mengambil akta cerai.")), "innovations")
    apart = judge(timed((0.0, 4.0, "Kami meluncurkan aplikasi Si Cepat."), (60.0, 64.0, "Pencari keadilan datang.")),
                  "innovations")
    assert (bare.coverage, used.coverage, apart.coverage) == ("weak", "met", "weak")


def test_impact_needs_a_change_and_for_whom() -> None:
    change = judge(timed((0.0, 5.0, "Kini masyarakat tidak perlu lagi datang ke kantor.")), "impact")
    aim = judge(timed((0.0, 5.0, "Kami ingin meningkatkan pelayanan.")), "impact")
    assert (change.coverage, aim.coverage) == ("met", "missing")


def test_generic_words_alone_stay_weak_or_missing() -> None:
    r = judge(timed((0.0, 5.0, "Kami memakai aplikasi untuk monitoring pelayanan dan teknologi informasi.")), "area_2")
    assert r.coverage != "met"


def test_overlapping_phrases_count_once() -> None:
    r = judge(timed((0.0, 3.0, "Area keempat.")), "area_4")  # "area keempat" and "area ke empat"
    assert r.heard == pytest.approx(1.0) and len(r.evidence) == 1


def test_negation_and_complaints_are_not_testimonials() -> None:
    said = timed((0.0, 4.0, "Nama saya Andi. Saya tidak puas, petugasnya tidak ramah."),
                 (30.0, 34.0, "Nama saya Wati. Pelayanannya cepat tapi saya dihardik petugas, saya merasa puas? Tidak."))
    r = judge(said, "testimonials")
    assert r.coverage != "met"
    assert not any(e.phrase in ("puas", "ramah", "saya merasa puas") for e in r.evidence)


def test_a_negated_complaint_is_praise() -> None:
    r = judge(timed((0.0, 4.0, "Prosesnya tidak berbelit-belit.")), "testimonials")
    assert [e.phrase for e in r.evidence] == ["tidak berbelit belit"]


@pytest.mark.parametrize("heard", ["Tanti Mak, Berbelit-belit", "timak perbelit-belit", "Tantimak perbelit-belit"])
def test_a_negated_complaint_misheard_is_no_complaint(heard: str) -> None:
    """How Whisper heard the sample's "tidak berbelit-belit" under four CPU settings: the praise
    around it still counts (a complaint voids its segment only where heard as written)."""
    r = judge(timed((0.0, 9.0, f"Nama saya Siti, pengguna layanan. Prosesnya mudah dan {heard}, terima kasih.")),
              "testimonials")
    assert {"pengguna layanan", "prosesnya mudah"} <= {e.phrase for e in r.evidence}, r.evidence


def test_a_complaint_heard_clearly_still_voids() -> None:
    r = judge(timed((0.0, 6.0, "Nama saya Wati, pengguna layanan. Prosesnya berbelit-belit, petugasnya ramah.")),
              "testimonials")
    assert r.evidence == ()


def test_two_testimonials_need_two_passages() -> None:
    one = timed((60.0, 70.0, "Nama saya Budi, tokoh masyarakat. Pelayanannya cepat, petugasnya ramah, saya merasa puas."))
    two = timed(*one.segments and [(60.0, 70.0, one.segments[0].text)],
                (71.0, 80.0, "Nama saya Siti, pengguna layanan. Prosesnya mudah dan sangat membantu."))
    assert (judge(one, "testimonials").passages, judge(one, "testimonials").coverage) == (1, "weak")
    assert (judge(two, "testimonials").passages, judge(two, "testimonials").coverage) == (2, "met")
    (finding,) = [f for f in content_findings(one, DEV) if f.id == "testimonials"]
    assert (finding.status, finding.message.key) == ("not_met", "content.weak_passages")


def test_flagged_segments_are_never_evidence() -> None:
    t = Transcript((Segment(0.0, 5.0, "Area pertama manajemen perubahan, agen perubahan.", 0.2, "no_speech"),),
                   "id", "test", "test", {}, 0.0)
    assert judge(t, "area_1").coverage == "missing"


def test_innovation_sectors_are_reported() -> None:
    r = judge(timed((0.0, 8.0, "Inovasi pelayanan kami memudahkan pencari keadilan."),
                    (8.0, 14.0, "Inovasi integritas kami mencegah korupsi dan pungli.")), "innovations")
    assert r.coverage == "met" and r.sectors == ("service", "integrity")


def test_untimed_text_gives_line_numbers() -> None:
    t = Transcript((Segment(0, 0, "Pembukaan.", 1.0), Segment(0, 0, "Area kedua, penataan tata laksana dan SOP.", 1.0)),
                   "id", "file", "naskah.txt", {}, 0.0, timed=False)
    r = judge(t, "area_2")
    assert r.coverage == "met" and {(e.start_s, e.line) for e in r.evidence} == {(None, 2)}


def test_evaluation_set_floor() -> None:
    """F1 >= 0.9 overall on the labelled set, and no `met` at all on the negatives."""
    results = outcomes()
    assert table(results)["overall"][2] >= 0.9
    wrongly_met = [(o.file, o.requirement) for o in results
                   if o.predicted and not o.expected and o.style in ("negative", "news")]
    assert wrongly_met == []
    negatives = {o.file for o in results if o.style in ("negative", "news")}
    assert len(negatives) >= 6  # the set keeps its hard negatives
    assert {o.style for o in results} >= {"clean", "asr", "testimonial", "news", "negative"}


def test_coverage_beats_a_plain_keyword_search_on_the_synthetic_set() -> None:
    """Side by side with what a reader with Ctrl-F would do (the real corpus is issue 10)."""
    results = outcomes()
    assert agreement(results) >= 0.97 and false_met(results) == 0
    assert agreement(results) > agreement(results, keyword=True) + 0.05


def test_the_real_corpus_keeps_its_rules() -> None:
    """At least 1,000 real texts from 300 sites, split by site into train, dev and a sealed test
    split of 150 texts or more in its own file (two a site at most there, read by two readers),
    no site in two splits; 25 hard negatives (nothing met); every requirement with 40 true texts
    and 120 sentences that show it; each committed text as labelled; every true or null label
    with its reason; every true label of rounds 3 and 4 with the sentences that show it, found
    in its text."""
    cases = real_cases()
    sources = {c["file"]: c["source"] for c in cases}
    per_site = Counter(site(url) for url in sources.values())
    assert len(sources) >= 1000 and len(per_site) >= 300 and max(per_site.values()) <= 8
    splits: dict[str, set[str]] = {}
    for c in cases:
        splits.setdefault(site(c["source"]), set()).add(c["split"])
    assert all(len(v) == 1 for v in splits.values()), [s for s, v in splits.items() if len(v) > 1]
    sealed = yaml.safe_load(SEALED.read_text(encoding="utf-8"))
    assert {c["split"] for c in sealed} == {"test"} and len({c["file"] for c in sealed}) >= 150
    assert max(Counter(site(c["source"]) for c in {c["file"]: c for c in sealed}.values()).values()) <= 2
    assert all("+" in c["reader"] for c in sealed)  # two readers, blind to each other
    assert all(c["split"] in ("train", "dev") for c in yaml.safe_load((REAL / "labels.yaml").read_text(encoding="utf-8")))
    met = {c["file"] for c in cases for v in (c["labels"] or {}).values() if v["value"] is True}
    assert len(set(sources) - met) >= 25
    kinds = {kind: {r.id for r in load_profile().rules(kind).content} for kind in ("profile", "development")}
    true_texts: Counter[str] = Counter()
    sentences_shown: Counter[str] = Counter()
    for c in cases:
        labels = c["labels"] or {}
        assert set(labels) <= kinds[c["kind"]], c["file"]
        assert all(v["value"] is False or v.get("reason") for v in labels.values()), c["file"]
        text = REAL / "texts" / c["file"]
        assert text.is_file() != c.get("local", False), c["file"]  # local texts are never committed
        if "tags" in c:
            assert all(v.get("evidence") for v in labels.values() if v["value"] is True), c["file"]
        for req, v in labels.items():
            if v["value"] is True:
                true_texts[req] += 1
                sentences_shown[req] += len(v.get("evidence", []))
        if text.is_file():
            lines = text.read_text(encoding="utf-8").splitlines()
            assert lines[0] == c["source"]
            whole = " ".join(normalize(" ".join(lines[1:])))
            for req, v in labels.items():
                for quote in v.get("evidence", []):
                    assert marked(lines[1:], [quote]) or " ".join(normalize(quote)) in whole, (c["file"], req, quote)
    every = set(kinds["profile"]) | set(kinds["development"])
    assert min(true_texts[r] for r in every) >= 40 and min(sentences_shown[r] for r in every) >= 120, \
        (true_texts, sentences_shown)


def test_real_corpus_floor() -> None:
    """The train and dev splits (the local texts count where they are present; the learned
    judgement is fitted on them, so these hold it, they do not measure it: its out-of-fold
    figures are learn.py's): at least 93.5 % agreement with the readers, 4 points above the
    keyword matcher and 1 above the rules alone, false met on hard negatives at most 40 % of the
    keyword matcher's (reached: with the local texts 93.8 % against 89.6 % and 91.8 %, 95 false
    met against 271 (the rules alone 51); the committed texts alone, as in CI, 94.5 % against
    89.5 % and 93.2 %, 19 against 75)."""
    results = real_outcomes(split="train")[0] + real_outcomes(split="dev")[0]
    assert agreement(results) >= 0.935
    assert agreement(results) >= agreement(results, keyword=True) + 0.04
    assert agreement(results) >= agreement(results, rules=True) + 0.01
    assert false_met(results) * 2.5 <= false_met(results, keyword=True)


def test_the_sealed_split_holds_its_figures() -> None:
    """The sealed test split of issue 28, judged once at its end (headline figures, in
    docs/measurements.md): with the local texts 94.8 % agreement against the keyword matcher's
    91.4 % and the rules alone's 92.2 %, precision 0.89, recall 0.59, 8 false met against 41;
    the committed texts alone, as in CI, 96.2 % against 95.0 % and 94.3 %, precision 0.93, 0
    false met against 2. A change that lowers them is a regression; one that raises them was
    tuned on this split only if its author looked at it."""
    results, _ = real_outcomes(split="test")
    assert agreement(results) >= 0.94 and agreement(results) > agreement(results, keyword=True) + 0.01
    assert agreement(results) >= agreement(results, rules=True) + 0.015
    assert table(results)["overall"][0] >= 0.85
    assert false_met(results) <= 8 and false_met(results) * 3 <= false_met(results, keyword=True) + 3


def test_check_a_transcript_alone(tmp_path: Path) -> None:
    script = EVAL_DIR / "dev_clean_partial.txt"
    r = CliRunner().invoke(cli, ["check", "--transcript", str(script), "--kind", "development",
                                 "--lang", "en", "--format", "json"])
    doc = json.loads(r.stdout)
    assert (r.exit_code, r.stderr) == (1, "")
    assert (doc["file"], doc["media"]) == ({"path": str(script), "size_bytes": None}, None)
    by_id = {f["id"]: f for f in doc["findings"]}
    assert [i for i, f in by_id.items() if f["coverage"] == "met"] == ["area_1", "area_2", "area_4"]
    area_3 = by_id["area_3"]
    assert (area_3["status"], area_3["message"]) == ("not_met", "Area 3: Human resources management: not heard")
    assert area_3["hint"].startswith("Narrators usually mention workload analysis")  # advice; the message says it
    e = by_id["area_1"]["evidence"][0]
    assert set(e) == {"start_s", "end_s", "heard", "phrase", "similarity", "weight", "line", "passage", "source",
                      "speaker", "role", "context", "confidence", "model_score"}
    assert e["heard"] in e["context"].lower() and e["confidence"] == 1.0  # a supplied transcript is sure
    assert (e["start_s"], e["line"]) == (None, 2)


def test_text_report_shows_times_as_mm_ss(tmp_path: Path) -> None:
    srt = tmp_path / "t.srt"
    srt.write_text("1\n00:01:05,500 --> 00:01:09,000\nArea kelima, penguatan pengawasan: unit pengendalian gratifikasi.\n")
    r = CliRunner().invoke(cli, ["check", "--transcript", str(srt), "--kind", "development"])
    assert r.exit_code == 1
    assert (' ' * 15 + '01:05-01:09 "unit pengendalian gratifikasi" ~ unit pengendalian gratifikasi (kemiripan 100)'
            in r.stdout)
    assert "  [GAGAL     ] Area 1: Manajemen Perubahan: tidak terdengar\n               Saran: Biasanya disebut" in r.stdout


@pytest.mark.parametrize(("change", "message"), [
    (("area: 1", "area: 9"), 'expected an area number from 1 to 8 at "kinds.profile.content.x.area"'),
    (("min_score: 2.0", "min_scor: 2.0"), 'unknown key (allowed: title, hint, area, names, anchors, phrases, '
     'min_score, min_passages, passage_gap_s, openers, exclude, sectors, together, passage_score, attributed, '
     'by_voice, screen_together) '
     'at "kinds.profile.content.x.min_scor"'),
    (("min_score: 2.0", "min_score: 2.0\n        together: [[y]]"),
     "'y' is not one of this requirement's weighted anchors or phrases at \"kinds.profile.content.x.together[0][0]\""),
    (("min_score: 2.0", "min_score: 2.0\n        together: [x]"), 'expected a list of phrases at '
     '"kinds.profile.content.x.together[0]"'),
    (("min_score: 2.0", "min_score: 2.0\n        passage_score: -1"),
     'expected a number from 0 to 1000, got -1 at "kinds.profile.content.x.passage_score"'),
    (("min_score: 2.0", "min_score: 2.0\n        attributed: 1"),
     'expected true or false, got 1 at "kinds.profile.content.x.attributed"'),
    (("anchors: [x]", "anchors: x"), "expected a list, got 'x' at \"kinds.profile.content.x.anchors\""),
    (("anchors: [x]", "anchors: [x, 3]"), 'expected a phrase (text), got 3 at "kinds.profile.content.x.anchors[1]"'),
])
def test_content_rules_are_validated(tmp_path: Path, change: tuple[str, str], message: str) -> None:
    rule = ("content:\n      x:\n        title: {id: X, en: X}\n        hint: {id: X, en: X}\n"
            "        area: 1\n        anchors: [x]\n        min_score: 2.0\n")
    path = tmp_path / "p.yaml"
    path.write_text("extends: ma-2020\nkinds:\n  profile:\n    " + rule.replace(*change))
    with pytest.raises(ProfileError) as e:
        load_profile(str(path))
    assert str(e.value) == f"invalid profile {path}: {message}"


@pytest.mark.parametrize(("reading", "message"), [
    ("reading: {unit: [kami], who: [x]}", 'unknown key (allowed: unit, others, attending, definition, aspiration, '
     'bodies) at "reading.who"'),
    ("reading: {bodies: [[pn], pa]}", 'expected a list of phrases at "reading.bodies[1]"'),
    ("reading: {others: kpk}", 'expected a list, got \'kpk\' at "reading.others"'),
    ("reading: {others: [kpk, 7]}", 'expected a phrase (text), got 7 at "reading.others[1]"'),
])
def test_the_reading_is_validated(tmp_path: Path, reading: str, message: str) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(f"extends: ma-2020\n{reading}\n")
    with pytest.raises(ProfileError) as e:
        load_profile(str(path))
    assert str(e.value) == f"invalid profile {path}: {message}"


def test_a_local_text_is_restored_from_its_stored_page(tmp_path: Path) -> None:
    """restore.py rebuilds a text from the lines of its page's stored excerpt, by their hashes
    (menus dropped, a line kept shorter than on the page found as its prefix), and refuses a
    page that lacks one of its lines; every local text has its row in local-texts.tsv."""
    from .coverage_eval import restore

    source = "https://contoh.example/berita/1"
    lines = ["Pengadilan Agama Contoh membuka layanan sidang keliling di tiga desa.",
             "Warga tidak perlu lagi menyeberang ke kota."]
    page = ("Beranda | Profil | Berita\n" + lines[0] + "\nBagikan ke WhatsApp\n"
            + lines[1] + " Kalimat yang terpotong di halaman itu")
    hashes = [restore._key(line) for line in lines]
    assert restore.rebuild(source, hashes, page) == "\n".join([source, "", *lines]) + "\n"
    assert restore.rebuild(source, hashes, page.replace(lines[0], "")) is None
    rows = [r.split("\t") for r in restore.INDEX.read_text(encoding="utf-8").splitlines() if not r.startswith("#")]
    assert all(len(r) == 4 and r[1].startswith("http") and r[3] for r in rows)
    assert len(rows) >= 1000
