#!/usr/bin/env bash
# One entry point for people and CI. Each job first installs what zi-media needs:
# Debian/Ubuntu packages (ffmpeg, espeak-ng, fonts), a virtual environment in .venv,
# and the package with its test tools. Run as root, or as a user who may sudo.
#
#   bash dev.sh test [PYTEST ARGS]   install everything, run ruff, mypy and the test suite
#                                    (-m "not slow" for the fast inner loop)
#   bash dev.sh test-isa [ISA[/MKL] ...]
#                                    install everything, run the tests that decode with the real
#                                    model (-m asr) under each CPU instruction set CTranslate2 may
#                                    pick (GENERIC AVX AVX2 AVX512, those this CPU has), each with
#                                    Intel MKL off and on (AVX2/1: MKL on only): what another
#                                    machine's CPU would hear
#   bash dev.sh demo                 install everything, check the sample submissions
#   bash dev.sh bench                install everything, run the benchmarks in bench/
set -euo pipefail
cd "$(dirname "$0")"

# ffmpeg and espeak-ng make test media; tesseract reads banners (Indonesian pack);
# chromium renders the HTML report in tests (screen and print), poppler-utils (pdftoppm) turns
# the printed PDF into pictures; chromium-driver lets Selenium drive it through the web pages.
APT_PACKAGES=(ffmpeg espeak-ng fonts-dejavu-core tesseract-ocr tesseract-ocr-ind chromium chromium-driver poppler-utils)

install_system() {
    local missing=() sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    command -v python3 >/dev/null || missing+=(python3)
    python3 -m venv --help >/dev/null 2>&1 || missing+=(python3-venv)
    for p in "${APT_PACKAGES[@]}"; do
        dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "dev.sh: installing ${missing[*]}" >&2
        $sudo apt-get update -qq
        DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
    fi
}

pip_quiet() {
    .venv/bin/python -m pip install -q --disable-pip-version-check "$@" 2>&1 \
        | { grep -v -e '^WARNING: Location' -e 'is ignored: it is neither' || true; }
}

install_python() {
    [ -x .venv/bin/python ] || python3 -m venv .venv
    # torch first, pinned: 2.13.0 is the CPU build on these machines; a bare `torch`
    # requirement would pull a multi-GB CUDA build.
    pip_quiet torch==2.13.0
    pip_quiet -e '.[test,openai]'
    pip_quiet --no-deps openai-whisper  # the optional second engine, without triton
}

# The instruction sets CTranslate2 can be forced to on this CPU (it refuses the others).
cpu_isas() {
    local flags; flags=" $(grep -m1 '^flags' /proc/cpuinfo | cut -d: -f2) "
    echo GENERIC
    [[ $flags == *" avx "* ]] && echo AVX
    [[ $flags == *" avx2 "* && $flags == *" fma "* ]] && echo AVX2
    [[ $flags == *" avx512f "* && $flags == *" avx512bw "* && $flags == *" avx512vl "* ]] && echo AVX512
    return 0
}

# Each argument: ISA (run with MKL off and on) or ISA/0, ISA/1 (that MKL setting only);
# none: every ISA this CPU has, MKL off and on.
test_isa() {
    local runs=() failed=() arg isa mkl
    if [ $# -eq 0 ]; then mapfile -t runs < <(cpu_isas); else runs=("$@"); fi
    for arg in "${runs[@]}"; do
        isa=${arg%/*}
        if [[ $arg == */* ]]; then set -- "${arg#*/}"; else set -- 0 1; fi
        for mkl in "$@"; do
            echo "dev.sh: test-isa CT2_FORCE_CPU_ISA=$isa CT2_USE_MKL=$mkl" >&2
            CT2_FORCE_CPU_ISA=$isa CT2_USE_MKL=$mkl .venv/bin/python -m pytest -m asr -q -p no:cacheprovider \
                -n auto --dist loadgroup || failed+=("$isa/MKL=$mkl")
        done
    done
    if [ ${#failed[@]} -gt 0 ]; then
        echo "dev.sh: test-isa failed under ${failed[*]}" >&2
        return 1
    fi
    echo "dev.sh: test-isa passed under ${runs[*]}" >&2
}

job="${1:-}"
[ $# -gt 0 ] && shift
case "$job" in
    test)
        install_system; install_python
        echo "dev.sh: ruff" >&2
        .venv/bin/ruff check zi_media tests bench samples
        echo "dev.sh: mypy" >&2
        .venv/bin/mypy
        exec .venv/bin/python -m pytest -n auto --dist loadgroup "$@" ;;
    test-isa)
        install_system; install_python
        test_isa "$@" ;;
    demo)
        install_system; install_python
        for args in "unit-bad/profil.mp4 --kind profile" "unit-good"; do
            set -- $args
            echo "\$ zi-media check samples/$*"
            code=0; .venv/bin/zi-media check "samples/$1" "${@:2}" || code=$?
            echo "(exit code $code)"; echo
        done
        echo "\$ zi-media batch samples --out demo-report"
        code=0; .venv/bin/zi-media batch samples --out demo-report || code=$?
        echo "(exit code $code; open demo-report/index.html in a browser)" ;;
    bench)
        install_system; install_python
        .venv/bin/python bench/check_bench.py
        .venv/bin/python bench/profile_bench.py  # a 15-minute check step by step, beside plain faster-whisper
        # real speech and voices, local (bench/gather_speech_sets.py; music beds in bench/data/music)
        if [ -d bench/data/speech-local ]; then
            .venv/bin/python bench/gather_speech_sets.py
            for set in dev cv sealed fresh third fourth fifth sixth seventh; do
                .venv/bin/python bench/make_speech_set.py "bench/data/speech-$set" $([ $set = dev ] || echo --no-long)
                if [ -f bench/data/music/track4.flac ]; then
                    mkdir -p "bench/data/speech-$set-lofi"
                    for f in "bench/data/speech-$set"/*.flac "bench/data/speech-$set"/*.tsv; do
                        ln -sf "../speech-$set/$(basename "$f")" "bench/data/speech-$set-lofi/"
                    done
                    .venv/bin/python bench/make_speech_set.py "bench/data/speech-$set-lofi" --no-long \
                        --music bench/data/music/track4.flac
                fi
            done
            .venv/bin/python bench/asr_sets.py bench/data/speech-dev* bench/data/speech-cv* bench/data/speech-fresh* bench/data/speech-third* bench/data/speech-fourth* bench/data/speech-fifth* bench/data/speech-sixth* bench/data/speech-seventh*  # WER on every set at once
            .venv/bin/python bench/asr_bench.py bench/data/speech-dev \
                --files clean.wav,music_bed.wav,short_music.wav,music_only.wav,long.mp4
            for set in dev cv; do
                [ -d "bench/data/speech-$set-lofi" ] && .venv/bin/python bench/asr_bench.py "bench/data/speech-$set-lofi" \
                    --files music_bed.wav,short_music.wav
            done
            for set in dev new; do
                [ -f "bench/data/voices-$set/mixes/mixes.json" ] || .venv/bin/python bench/make_voice_mixes.py "bench/data/voices-$set"
                for channel in studio field narrator-both; do  # testimonials recorded through another channel
                    .venv/bin/python bench/voices_bench.py "bench/data/voices-$set" --channel $channel
                done
            done
        else
            echo "dev.sh: no bench/data/speech-local: the speech and voices benchmarks need real clips (bench/restore_speech_local.py rebuilds them from fetched snapshots; see bench/gather_speech_sets.py)" >&2
        fi
        .venv/bin/python bench/stream_bench.py --hours 1
        .venv/bin/python bench/repeat_bench.py
        .venv/bin/python bench/screen_bench.py
        .venv/bin/python bench/batch_bench.py
        .venv/bin/python bench/web_bench.py ;;  # zi-media serve: against the CLI, 20 units at once, a 1-GB upload
    *)
        echo "usage: bash dev.sh test|test-isa|demo|bench" >&2; exit 2 ;;
esac
