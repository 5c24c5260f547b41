"""Report sentences and labels in Indonesian (the users' language, the default) and English."""

from __future__ import annotations

from ..types import Message

DEFAULT_LANG = "id"

MESSAGES: dict[str, dict[str, str]] = {
    "playable.ok": {
        "id": "Berkas dapat diputar ({container}, durasi {duration})",
        "en": "The file plays ({container}, duration {duration})",
    },
    "playable.empty": {
        "id": "Berkas kosong (0 byte): tidak ada video untuk diperiksa",
        "en": "The file is empty (0 bytes): there is no video to check",
    },
    "playable.not_media": {
        "id": "Berkas rusak atau bukan video: {detail}",
        "en": "Damaged or not a video file: {detail}",
    },
    "playable.no_duration": {
        "id": "Durasi tidak dapat dibaca; berkas ini bukan video ({detail})",
        "en": "No duration can be read; this file is not a video ({detail})",
    },
    "playable.truncated": {
        "id": "Berkas terpotong: data berhenti pada {end} dari durasi {duration}",
        "en": "The file is truncated: its data stops at {end} of {duration}",
    },
    "duration_header.disagrees": {
        "id": "Kepala berkas menyatakan durasi {header}, tetapi datanya diputar {data}: durasi {data} yang dinilai",
        "en": "The file header declares {header}, but its data plays {data}: the {data} that plays is judged",
    },
    "not_measurable": {
        "id": "Tidak dapat diukur: berkas tidak dapat dibaca sebagai video",
        "en": "Cannot be measured: the file cannot be read as a video",
    },
    "duration.ok": {
        "id": "Durasi {measured} tidak melebihi batas {limit}",
        "en": "Duration {measured} is within the limit of {limit}",
    },
    "duration.over": {
        "id": "Durasi {measured} melebihi batas {limit} (lebih {excess})",
        "en": "Duration {measured} exceeds the limit of {limit} ({excess} over)",
    },
    "duration.under": {
        "id": "Durasi {measured} kurang dari minimum {limit} (kurang {short})",
        "en": "Duration {measured} is below the minimum of {limit} ({short} short)",
    },
    "video_stream.ok": {"id": "Ada gambar video: {desc}", "en": "Video stream present: {desc}"},
    "video_stream.missing": {
        "id": "Tidak ada gambar video (aliran video tidak ditemukan)",
        "en": "No video stream: the file has no picture",
    },
    "audio_stream.ok": {"id": "Ada suara: {desc}", "en": "Audio stream present: {desc}"},
    "audio_stream.tracks": {
        "id": "Ada suara: {desc}; yang diperiksa trek {track} dari {count} (trek utama berkas)",
        "en": "Audio stream present: {desc}; track {track} of {count} was checked (the file's default track)",
    },
    "video_stream.no_pictures": {
        "id": "Aliran video tanpa satu gambar pun ({desc}): video tidak menampilkan apa-apa",
        "en": "The video stream holds no picture at all ({desc}): the video shows nothing",
    },
    "video_stream.black": {
        "id": "Gambar video hitam seluruhnya ({desc})",
        "en": "The picture is black throughout ({desc})",
    },
    "video_stream.frozen": {
        "id": "Gambar video diam seluruhnya ({desc})",
        "en": "The picture is frozen throughout ({desc})",
    },
    "scan.skipped": {
        "id": "Tidak diperiksa: {why}",
        "en": "Not checked: {why}",
    },
    "scan.failed": {
        "id": "Pemeriksaan gambar dan suara tidak dapat diselesaikan ({why}): layar hitam, gambar diam, "
              "hening, kenyaringan dan teks di layar tidak diketahui; tonton video ini",
        "en": "The scan of pictures and sound could not be completed ({why}): black screen, frozen picture, "
              "silence, loudness and on-screen text are unknown; watch this video",
    },
    "black.none": {"id": "Tidak ada layar hitam {limit} detik atau lebih",
                   "en": "No black screen of {limit} s or longer"},
    "black.found": {
        "id": "{count} layar hitam {limit} detik atau lebih, {total} seluruhnya: {where}",
        "en": "{count} black screen(s) of {limit} s or longer, {total} in all: {where}",
    },
    "freeze.none": {"id": "Tidak ada gambar diam {limit} detik atau lebih",
                    "en": "No frozen picture of {limit} s or longer"},
    "freeze.found": {
        "id": "{count} gambar diam {limit} detik atau lebih, {total} seluruhnya: {where}",
        "en": "{count} frozen picture(s) of {limit} s or longer, {total} in all: {where}",
    },
    "silence.none": {"id": "Tidak ada hening {limit} detik atau lebih", "en": "No silence of {limit} s or longer"},
    "silence.found": {
        "id": "{count} kali hening {limit} detik atau lebih, total {total}: {where}",
        "en": "{count} silence(s) of {limit} s or longer, {total} in all: {where}",
    },
    "loudness.ok": {
        "id": "Kenyaringan {lufs} LUFS (batas {min} sampai {max}), puncak {peak} dBTP",
        "en": "Loudness {lufs} LUFS (bounds {min} to {max}), true peak {peak} dBTP",
    },
    "loudness.too_quiet": {
        "id": "Suara terlalu pelan: {lufs} LUFS, paling pelan {limit}",
        "en": "Sound too quiet: {lufs} LUFS, {limit} at the least",
    },
    "loudness.too_loud": {
        "id": "Suara terlalu keras: {lufs} LUFS, paling keras {limit}",
        "en": "Sound too loud: {lufs} LUFS, {limit} at the most",
    },
    "loudness.peak": {
        "id": "Puncak suara {peak} dBTP melewati {limit} dBTP ({lufs} LUFS)",
        "en": "True peak {peak} dBTP above {limit} dBTP ({lufs} LUFS)",
    },
    "loudness.clipped": {
        "id": "Suara pecah (clipping): {limit} sampel pada batas penuh ({lufs} LUFS)",
        "en": "Clipped sound: {limit} of samples at full scale ({lufs} LUFS)",
    },
    "loudness.loud_stretches": {
        "id": "Suara terlalu keras di {limit} ({lufs} LUFS seluruhnya)",
        "en": "Sound too loud at {limit} ({lufs} LUFS overall)",
    },
    "loudness.silent": {"id": "Kenyaringan tidak terukur: tidak ada suara", "en": "Loudness not measurable: no sound"},
    "audio_stream.missing": {
        "id": "Tidak ada suara (aliran audio tidak ditemukan): narasi dan testimoni tidak terdengar",
        "en": "No audio stream: narration and testimonials cannot be heard",
    },
    "speech.ok": {
        "id": "Ucapan terdengar selama {speech} dalam {segments} segmen ({engine}, {model})",
        "en": "Speech heard for {speech} in {segments} segments ({engine}, {model})",
    },
    "speech.cached": {
        "id": "Ucapan terdengar selama {speech} dalam {segments} segmen ({engine}, {model}; dari cache)",
        "en": "Speech heard for {speech} in {segments} segments ({engine}, {model}; from the cache)",
    },
    "speech.accounted": {
        "id": "Ucapan terdeteksi {speech} dari {audio} audio ({speech_share}); {covered} di antaranya "
              "tertranskripsi dalam {segments} segmen ({engine}, {model}{source}){voices}",
        "en": "Speech detected for {speech} of {audio} of audio ({speech_share}); {covered} of it "
              "transcribed in {segments} segments ({engine}, {model}{source}){voices}",
    },
    "speech.incomplete": {
        "id": "Hanya {covered} dari ucapan yang terdeteksi ({speech}) tertranskripsi: {missing} ucapan tidak "
              "menghasilkan kata ({stretches}); dengarkan bagian itu, isinya belum diperiksa{voices}",
        "en": "Only {covered} of the detected speech ({speech}) was transcribed: {missing} of speech gave no "
              "words ({stretches}); listen to those parts, their content was not checked{voices}",
    },
    "speech.mostly_silent": {
        "id": "Isi tidak dapat dinilai dengan andal: sebagian besar video berupa musik atau hening "
              "(ucapan {speech} dari {audio}, {speech_share})",
        "en": "Content cannot be judged reliably: most of the video is music or silence "
              "(speech {speech} of {audio}, {speech_share})",
    },
    "speech.undecodable": {
        "id": "Suara tidak dapat didekode, jadi tidak ada yang dapat didengar: {detail}",
        "en": "The audio cannot be decoded, so nothing can be heard: {detail}",
    },
    "speech.silent": {
        "id": "Tidak terdengar ucapan: isi video tidak dapat diperiksa "
              "({flagged} segmen diabaikan sebagai halusinasi)",
        "en": "No speech heard: the video's content cannot be checked "
              "({flagged} segments ignored as hallucinations)",
    },
    "content.met": {
        "id": "{title}: diuraikan ({count} bukti dari kalimat tentang kegiatan satuan kerja; skor {score}, "
              "minimum {limit})",
        "en": "{title}: described ({count} pieces of evidence from sentences on the unit's own work; score "
              "{score}, minimum {limit})",
    },
    "content.met_model": {
        "id": "{title}: diuraikan menurut model kalimat ({count} bukti; skor model {learned}, ambang {threshold}; "
              "skor frasa {score}, minimum {limit})",
        "en": "{title}: described, as the sentence model reads it ({count} pieces of evidence; model score "
              "{learned}, threshold {threshold}; phrase score {score}, minimum {limit})",
    },
    "content.doubted": {
        "id": "{title}: frasanya terdengar (skor {score}, minimum {limit}), tetapi menurut model kalimat tidak "
              "diuraikan (skor model {learned}, ambang {threshold}): dengarkan bagian yang ditandai",
        "en": "{title}: its phrases were heard (score {score}, minimum {limit}), but the sentence model does not "
              "read them as describing it (model score {learned}, threshold {threshold}): listen to the parts marked",
    },
    "content.weak": {
        "id": "{title}: kurang jelas diuraikan (skor {score}, minimum {limit}): dengarkan bagian yang ditandai",
        "en": "{title}: described too little (score {score}, minimum {limit}): listen to the parts marked",
    },
    "content.barely": {
        "id": "{title}: hampir tidak terdengar: hanya kata-kata sepintas (skor {heard}, minimum {limit})",
        "en": "{title}: hardly heard: only passing words (score {heard}, minimum {limit})",
    },
    "content.named": {
        "id": "{title}: hanya disebut namanya, kegiatannya tidak diuraikan",
        "en": "{title}: only named, its work not described",
    },
    "content.others": {
        "id": "{title}: yang terdengar adalah kerja lembaga lain, bukan satuan kerja ini",
        "en": "{title}: what was heard is another institution's work, not this unit's",
    },
    "content.general": {
        "id": "{title}: hanya definisi, harapan atau kewajiban, bukan kegiatan yang dilakukan",
        "en": "{title}: only a definition, a hope or a duty, not work done",
    },
    "content.weak_passages": {
        "id": "{title}: hanya {passages} bagian terdengar, dibutuhkan {min_passages}",
        "en": "{title}: only {passages} separate passage(s) heard, {min_passages} needed",
    },
    "content.met_voices": {
        "id": "{title}: {passages} testimoni, {voices} suara selain suara narator ({times})",
        "en": "{title}: {passages} testimonials, {voices} voices other than the narrator's ({times})",
    },
    "content.met_unvoiced": {
        "id": "{title}: {passages} testimoni, dihitung dari kata-kata: suara-suaranya tidak dapat dibedakan",
        "en": "{title}: {passages} testimonials, counted by their words: the voices could not be told apart",
    },
    "content.narrator_voice": {
        "id": "{title}: {passages} testimoni terdengar, semuanya dalam suara narator: tidak ada suara "
              "orang luar (dengarkan untuk memastikan)",
        "en": "{title}: {passages} testimonials heard, all in the narrator's voice: no outside voice "
              "(listen to make sure)",
    },
    "content.same_voice": {
        "id": "{title}: {passages} testimoni terdengar, tetapi hanya {voices} suara selain narator ({times}); "
              "dibutuhkan {min_passages} orang",
        "en": "{title}: {passages} testimonials heard, but only {voices} voice(s) other than the narrator's "
              "({times}); {min_passages} people needed",
    },
    "content.missing": {
        "id": "{title}: tidak terdengar",
        "en": "{title}: not heard",
    },
    "unit.found": {"id": "{role}: {file}", "en": "{role}: {file}"},
    "unit.missing": {"id": "{role}: tidak ditemukan di folder; yang dikenali: {expected}, atau sebutkan di "
                           "zi-media.yaml",
                     "en": "{role}: not found in the folder; what is recognised: {expected}, or name it in "
                           "zi-media.yaml"},
    "unit.missing_looked": {"id": "{role}: tidak ditemukan; diperiksa tetapi isinya tidak cocok: {files}; yang "
                                  "dikenali: {expected}, atau sebutkan di zi-media.yaml",
                            "en": "{role}: not found; looked at, but what it says does not fit: {files}; what is "
                                  "recognised: {expected}, or name it in zi-media.yaml"},
    "unit.ambiguous": {
        "id": "{role}: lebih dari satu berkas cocok ({files}); sebutkan satu di zi-media.yaml",
        "en": "{role}: more than one file fits ({files}); name one in zi-media.yaml",
    },
    "unit.found_by_text": {
        "id": "{role}: {file} (dari isinya: {met} dari {total} persyaratan isi tertulis)",
        "en": "{role}: {file} (by what it says: {met} of {total} content requirements written)",
    },
    "unit.found_by_content": {
        "id": "{role}: {file} (dari isinya: {met} dari {total} persyaratan isi terdengar)",
        "en": "{role}: {file} (by what is said in it: {met} of {total} content requirements heard)",
    },
    "unit.role_unsure": {
        "id": "Tidak jelas video apa ini: {files}; sebutkan perannya di zi-media.yaml",
        "en": "Not clear which video this is: {files}; name its role in zi-media.yaml",
    },
    "unit.outside": {
        "id": "Menunjuk ke luar folder satuan kerja, tidak dibaca: {entries}",
        "en": "Leads outside the unit folder, not read: {entries}",
    },
    "unit.unreadable": {"id": "Tidak dapat dibaca: {file}", "en": "Cannot be read: {file}"},
    "unit.zip_duplicates": {
        "id": "Zip berisi lebih dari satu berkas dengan nama yang sama; yang pertama dari masing-masing "
              "diperiksa, yang lain diabaikan: {members}",
        "en": "The zip holds more than one file of the same name; the first of each was checked, "
              "the others left out: {members}",
    },
    "override.unused": {
        "id": "Keputusan peninjau tidak diterapkan, persyaratannya tidak diperiksa pada satuan kerja ini "
              "(berkasnya tidak ada?): {requirements}",
        "en": "Reviewer's decision not applied, the requirement was not checked for this unit "
              "(its file is missing?): {requirements}",
    },
    "banners.ok": {
        "id": "{title}: {good} dari {total} gambar terbaca dan menyebut ZI menuju WBK/WBBM (minimum {min})",
        "en": "{title}: {good} of {total} images readable and naming ZI toward WBK/WBBM (minimum {min})",
    },
    "banners.none": {
        "id": "{title}: tidak ada gambar yang dikenali (minimum {min}); yang dikenali: {expected}, atau gambar "
              "yang teksnya menyebutnya",
        "en": "{title}: no image recognised (minimum {min}); what is recognised: {expected}, or an image whose "
              "text says it",
    },
    "banners.too_few": {
        "id": "{title}: hanya {good} dari {total} gambar memenuhi syarat (minimum {min})",
        "en": "{title}: only {good} of {total} images pass (minimum {min})",
    },
    "banners.unverified": {
        "id": "{title}: {good} gambar terbaca, tetapi tulisannya tidak dapat diperiksa (OCR tidak terpasang)",
        "en": "{title}: {good} images readable, but their text was not verified (no OCR installed)",
    },
    "banners.no_tesseract": {
        "id": "Tulisan spanduk tidak diperiksa: tesseract (tesseract-ocr-ind) tidak terpasang",
        "en": "Banner text not verified: tesseract (tesseract-ocr-ind) is not installed",
    },
    "banners.no_indonesian": {
        "id": "Tulisan spanduk dibaca tanpa bahasa Indonesia: pasang tesseract-ocr-ind agar terbaca dengan benar",
        "en": "Banner text was read without Indonesian: install tesseract-ocr-ind to read it properly",
    },
    "banners.duplicates": {
        "id": "Foto yang sama dikirim lebih dari sekali ({count} foto dalam {files} berkas): {groups}",
        "en": "The same photo was submitted more than once ({count} photo(s) in {files} files): {groups}",
    },
    "speech.no_audio": {
        "id": "Tidak ada suara untuk ditranskripsi",
        "en": "No audio to transcribe",
    },
}

LABELS: dict[str, dict[str, str]] = {
    "playable": {"id": "Dapat diputar", "en": "Plays"},
    "duration": {"id": "Durasi", "en": "Duration"},
    "duration_header": {"id": "Kepala berkas", "en": "File header"},
    "video_stream": {"id": "Gambar video", "en": "Video stream"},
    "audio_stream": {"id": "Suara", "en": "Audio stream"},
    "scan": {"id": "Pemindaian gambar dan suara", "en": "Picture and sound scan"},
    "black": {"id": "Layar hitam", "en": "Black screen"},
    "freeze": {"id": "Gambar diam", "en": "Frozen picture"},
    "silence": {"id": "Hening", "en": "Silence"},
    "loudness": {"id": "Kenyaringan", "en": "Loudness"},
    "speech": {"id": "Ucapan", "en": "Speech"},
    "content": {"id": "Isi", "en": "Content"},
    "hint": {"id": "Saran", "en": "Hint"},
    "sectors": {"id": "Bidang", "en": "Fields"},
    "sector.service": {"id": "pelayanan", "en": "service"},
    "sector.performance": {"id": "kinerja", "en": "performance"},
    "sector.integrity": {"id": "integritas", "en": "integrity"},
    "line": {"id": "baris", "en": "line"},
    "slide": {"id": "slide", "en": "slide"},
    "passage.named": {"id": "hanya nama", "en": "name only"},
    "source.speech": {"id": "ucapan", "en": "said"},
    "source.screen": {"id": "di layar", "en": "on screen"},
    "source.slide": {"id": "slide", "en": "slide"},
    "voices": {"id": "Penutur", "en": "Voices"},
    "voice.narrator": {"id": "suara narator {speaker}", "en": "narrator's voice {speaker}"},
    "voice.other": {"id": "suara lain {speaker}", "en": "other voice {speaker}"},
    "timeline": {"id": "Lini waktu", "en": "Timeline"},
    "back_to_index": {"id": "Kembali ke ringkasan semua satuan kerja", "en": "Back to the summary of all units"},
    "banners_section": {"id": "Spanduk/poster", "en": "Banners/posters"},
    "unsure": {"id": "pengenalan ucapan kurang yakin: dengarkan", "en": "recognised with low confidence: listen"},
    "sentence": {"id": "kalimat", "en": "sentence"},
    "similarity": {"id": "kemiripan {value}", "en": "similarity {value}"},
    "similarity_note": {"id": "Seberapa mirip kata yang terdengar atau terbaca dengan frasa aturan, 0-100 "
                               "(100: sama persis)",
                        "en": "How alike the words heard or read are to the rule's phrase, 0-100 (100: the same)"},
    "model_read": {"id": "dibaca model kalimat, skor {value}", "en": "read by the sentence model, score {value}"},
    "model_note": {"id": "Kalimat yang menurut model kalimat (dilatih pada teks nyata yang dibaca penilai) menguraikan "
                          "persyaratan ini, dengan peluangnya 0-1",
                   "en": "A sentence that the sentence model (trained on real texts read by evaluators) finds "
                         "describing this requirement, with its probability 0-1"},
    "evidence_all": {"id": "Tampilkan semua bukti ({n})", "en": "Show all evidence ({n})"},
    "transcript_all": {"id": "Transkrip lengkap ({n} segmen)", "en": "Full transcript ({n} segments)"},
    "flag.empty": {"id": "kosong", "en": "empty"},
    "flag.no_speech": {"id": "bukan ucapan (bukan bukti)", "en": "not speech (not evidence)"},
    "flag.filler": {"id": "kata pengisi (bukan bukti)", "en": "filler (not evidence)"},
    "flag.repetition": {"id": "pengulangan yang tidak diucapkan (bukan bukti)",
                        "en": "a repetition not spoken (not evidence)"},
    "flag.vocabulary_echo": {"id": "gema kosakata aturan tanpa ucapan (bukan bukti)",
                             "en": "an echo of the rules' words without speech (not evidence)"},
    "sign.note": {"id": "Catatan evaluator", "en": "Evaluator's notes"},
    "sign.name": {"id": "Nama evaluator:", "en": "Evaluator:"},
    "sign.date": {"id": "Tanggal:", "en": "Date:"},
    "sign.signature": {"id": "Tanda tangan:", "en": "Signature:"},
    "tl.speech": {"id": "ucapan", "en": "speech"},
    "tl.silence": {"id": "hening", "en": "silence"},
    "tl.loud": {"id": "terlalu keras", "en": "too loud"},
    "tl.black": {"id": "layar hitam", "en": "black screen"},
    "tl.frozen": {"id": "gambar diam", "en": "frozen picture"},
    "tl.said": {"id": "bukti yang diucapkan", "en": "evidence said"},
    "tl.shown": {"id": "bukti di layar", "en": "evidence shown"},
    "tl.narrator": {"id": "suara narator", "en": "narrator's voice"},
    "tl.voice1": {"id": "suara lain 1", "en": "other voice 1"},
    "tl.voice2": {"id": "suara lain 2", "en": "other voice 2"},
    "tl.voice3": {"id": "suara lain 3", "en": "other voice 3"},
    "tl.voice4": {"id": "suara lain 4", "en": "other voice 4"},
    "tl.voice5": {"id": "suara lain 5", "en": "other voice 5"},
    "tl.voice6": {"id": "suara lain 6", "en": "other voice 6"},
    "screen_text": {"id": "Tulisan di layar", "en": "Text on screen"},
    "passage.other": {"id": "lembaga lain", "en": "another institution"},
    "passage.general": {"id": "definisi/harapan", "en": "definition/hope"},
    "passage.partial": {"id": "kurang uraian", "en": "too little"},
    "untranscribed": {"id": "Ucapan tanpa transkrip", "en": "Speech without transcript"},
    "transcript": {"id": "Naskah", "en": "Transcript"},
    "unit": {"id": "Satuan kerja", "en": "Unit"},
    "unknown": {"id": "Berkas lain (tidak diperiksa)", "en": "Other files (not checked)"},
    "unit_verdict": {"id": "Hasil satuan kerja", "en": "Unit verdict"},
    "verdict.error": {"id": "TIDAK DAPAT DIPERIKSA", "en": "COULD NOT BE CHECKED"},
    "missing_items": {"id": "Belum terpenuhi", "en": "Not met"},
    "video_profile": {"id": "Video profil", "en": "Profile video"},
    "video_development": {"id": "Video pembangunan ZI", "en": "ZI development video"},
    "banners": {"id": "Spanduk/poster", "en": "Banners/posters"},
    "covid_banner": {"id": "Spanduk Covid-19", "en": "Covid-19 banner"},
    "banner_duplicates": {"id": "Foto ganda", "en": "Duplicate photos"},
    "paparan": {"id": "Paparan", "en": "Presentation"},
    "outside": {"id": "Di luar folder", "en": "Outside the folder"},
    "video_role": {"id": "Peran video", "en": "Video role"},
    "decided.name": {"id": "dari nama", "en": "by its name"},
    "decided.manifest": {"id": "dari zi-media.yaml", "en": "by zi-media.yaml"},
    "decided.content": {"id": "dari isinya", "en": "by its content"},
    "banner_frame": {"id": "bingkai {n} dari {total} yang dibaca", "en": "frame {n} of {total} read"},
    "ocr": {"id": "OCR", "en": "OCR"},
    "batch.done": {"id": "{met} dari {units} satuan kerja memenuhi; laporan di {out}",
                   "en": "{met} of {units} units met; reports in {out}"},
    "progress.checking": {"id": "memeriksa", "en": "checking"},
    "progress.transcribing": {"id": "mentranskripsi", "en": "transcribing"},
    "progress.units": {"id": "satuan kerja", "en": "units"},
    "status.met": {"id": "OK", "en": "OK"},
    "status.not_met": {"id": "GAGAL", "en": "FAIL"},
    "status.warning": {"id": "PERINGATAN", "en": "WARNING"},
    "verdict.met": {"id": "MEMENUHI", "en": "MET"},
    "verdict.incomplete": {"id": "BELUM LENGKAP DIPERIKSA", "en": "NOT FULLY CHECKED"},
    "verdict.not_met": {"id": "TIDAK MEMENUHI", "en": "NOT MET"},
    "profile": {"id": "Profil", "en": "Profile"},
    "version": {"id": "versi", "en": "version"},
    "file": {"id": "Berkas", "en": "File"},
    "verdict": {"id": "Hasil", "en": "Verdict"},
    "summary": {
        "id": "{failed} dari {total} persyaratan tidak terpenuhi",
        "en": "{failed} of {total} requirements not met",
    },
    "kinds": {"id": "Jenis media", "en": "Media kinds"},
    "source": {"id": "Sumber", "en": "Source"},
    "language": {"id": "Bahasa tuturan", "en": "Spoken language"},
    "count.met": {"id": "Terpenuhi", "en": "Met"},
    "count.not_met": {"id": "Tidak terpenuhi", "en": "Not met"},
    "count.warning": {"id": "Peringatan", "en": "Warnings"},
    "error": {"id": "Kendala pemeriksaan", "en": "Why it could not be checked"},
    "summary_sheet": {"id": "Ringkasan", "en": "Summary"},
    "summary_title": {"id": "Ringkasan pemeriksaan media Zona Integritas",
                      "en": "Zona Integritas media check: summary"},
    "legend_sheet": {"id": "Keterangan", "en": "Legend"},
    "why": {"id": "Yang tidak terpenuhi", "en": "What is not met"},
    "unchecked": {"id": "tidak diperiksa", "en": "not checked"},
    "count.failing_units": {"id": "Satuan kerja TIDAK MEMENUHI", "en": "Units NOT MET"},
    "about.date": {"id": "Tanggal pemeriksaan", "en": "Checked on"},
    "about.profile": {"id": "Profil (aturan)", "en": "Profile (rules)"},
    "about.tool": {"id": "Alat", "en": "Tool"},
    "about.units": {"id": "Jumlah satuan kerja", "en": "Units"},
    "legend.met": {"id": "memenuhi persyaratan", "en": "the requirement is met"},
    "legend.warning": {"id": "perlu dilihat atau didengar evaluator (alasan di komentar sel)",
                       "en": "an evaluator should look or listen (the reason is in the cell's comment)"},
    "legend.not_met": {"id": "tidak memenuhi persyaratan (alasan di komentar sel dan di kolom \u201cYang tidak "
                              "terpenuhi\u201d)",
                       "en": "the requirement is not met (the reason is in the cell's comment and in the "
                             "\u201cWhat is not met\u201d column)"},
    "legend.unchecked": {"id": "tidak diperiksa: berkasnya tidak ada atau tidak dapat dibaca, atau pemeriksaan "
                                "itu dimatikan (misalnya tanpa transkripsi)",
                         "en": "not checked: its file is missing or unreadable, or that check was off "
                               "(for example without transcription)"},
    "legend.overridden": {"id": "diubah oleh peninjau (keputusan mesin, alasan, nama dan tanggal di komentar sel)",
                          "en": "changed by a reviewer (the machine's status, reason, name and date in the "
                                "cell's comment)"},
    "legend.comment": {"id": "arahkan ke sel atau judul kolom: alasan, atau judul lengkap persyaratan",
                       "en": "hover over a cell or a column header: the reason, or the requirement's full title"},
    "comment": {"id": "Komentar", "en": "Comment"},
    "column": {"id": "Kolom", "en": "Column"},
    "group": {"id": "Bagian", "en": "Part"},
    "title": {"id": "Persyaratan lengkap", "en": "Full requirement"},
    "key": {"id": "Kunci (overrides.yaml)", "en": "Key (overrides.yaml)"},
    "filter": {"id": "Saring", "en": "Filter"},
    "index.all_met": {"id": "Semua {units} satuan kerja MEMENUHI", "en": "All {units} units MET"},
    "index.of_units": {"id": "{n} dari {units} satuan kerja {verdict}", "en": "{n} of {units} units {verdict}"},
    "index.areas": {"id": "Area pengungkit (LKE): satuan kerja yang tidak memenuhi (video pembangunan ZI atau "
                          "paparan)",
                    "en": "Change areas (the LKE's lever areas): units not meeting them (ZI development video or "
                          "presentation)"},
    "index.failing": {"id": "{n} satuan kerja", "en": "{n} units"},
    "all": {"id": "semua", "en": "all"},
    "override": {"id": "Keputusan peninjau", "en": "Reviewer's decision"},
    "override_unused": {"id": "Keputusan peninjau tak terpakai", "en": "Reviewer's decision unused"},
    "overridden": {"id": "diubah peninjau, semula {machine}", "en": "overridden by a reviewer, was {machine}"},
}


def text(message: Message, lang: str) -> str:
    """Render a finding's message in `lang`; values given per language are picked for it."""
    params = {k: v if isinstance(v, str) else v[lang] for k, v in message.params.items()}
    return MESSAGES[message.key][lang].format(**params)


def label_or(key: str, lang: str, fallback: str) -> str:
    """A label when one is defined (e.g. a sector id), else the text as given."""
    return LABELS[key][lang] if key in LABELS else fallback


def label(key: str, lang: str, **params: object) -> str:
    return LABELS[key][lang].format(**params)


def size(size_bytes: int, lang: str) -> str:
    """Human file size; Indonesian writes the decimal comma."""
    for unit, scale in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if size_bytes >= scale:
            shown = f"{size_bytes / scale:.1f} {unit}"
            return shown.replace(".", ",") if lang == "id" else shown
    return f"{size_bytes} B"
