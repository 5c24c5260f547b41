#!/usr/bin/env python3
"""Restore the local texts of the real corpus (those whose terms forbid redistribution) from
the stored pages they were copied from: `python -m tests.coverage_eval.restore RESULTS...`.

`real/local-texts.tsv` keeps, for each local text, its source address, the search that found
it in the stored pages (the `pages` corpus of the project's search tool) and a short hash of
each of its lines, not the text. Whoever has the search tool runs each query and saves its
answer (the JSON it returns) as a file; this script takes those files, finds the result whose
address is the text's source, and rebuilds the text from the lines of its excerpt whose hashes
match, in order (a line kept shorter than on the page is found as a prefix or suffix of a
page line). A text is written only when every line is found, so what is restored is exactly
what was labelled; the rest are listed, to be cut again by a reader.
"""

from __future__ import annotations

import argparse
import hashlib
import json
from pathlib import Path

from .evaluate import LOCAL_REAL, REAL

INDEX = REAL / "local-texts.tsv"


def _key(line: str) -> str:
    return hashlib.sha1(line.strip().encode()).hexdigest()[:10]


def _pieces(line: str) -> list[str]:
    """A page line, then its prefixes and suffixes at word boundaries (longest first)."""
    words = line.split(" ")
    heads = [" ".join(words[:k]) for k in range(len(words) - 1, 0, -1)]
    tails = [" ".join(words[k:]) for k in range(1, len(words))]
    return [line, *heads, *tails]


def rebuild(source: str, hashes: list[str], page: str) -> str | None:
    """The text whose lines have these hashes, from a stored page's excerpt; None if a line is missing."""
    lines = [ln.strip() for ln in page.split("\n") if ln.strip()]
    found: dict[str, str] = {}
    for line in lines:
        for piece in _pieces(line):
            found.setdefault(_key(piece), piece.strip())
    if not all(h in found for h in hashes):
        return None
    return "\n".join([source, "", *(found[h] for h in hashes)]) + "\n"


def _same(a: str, b: str) -> bool:
    def bare(u: str) -> str:
        return u.split("://", 1)[-1].rstrip("/")
    return bare(a) == bare(b)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("results", nargs="+", type=Path, help="saved answers of the pages search, JSON")
    parser.add_argument("--out", type=Path, default=LOCAL_REAL)
    args = parser.parse_args()
    pages = []
    for path in args.results:
        answer = json.loads(path.read_text(encoding="utf-8"))
        pages += [(r.get("url", ""), r.get("excerpt", "")) for r in answer.get("results", [])]
    args.out.mkdir(parents=True, exist_ok=True)
    done, left = 0, []
    for row in INDEX.read_text(encoding="utf-8").splitlines():
        if row.startswith("#") or not row.strip():
            continue
        name, source, _query, hashes = row.split("\t")
        if (args.out / name).is_file():
            done += 1
            continue
        text = next((t for url, page in pages if _same(url, source)
                     and (t := rebuild(source, hashes.split(","), page)) is not None), None)
        if text is None:
            left.append(name)
            continue
        (args.out / name).write_text(text, encoding="utf-8")
        done += 1
    print(f"{done} local texts in {args.out}; {len(left)} not restored: {', '.join(left) or 'none'}")


if __name__ == "__main__":
    main()
