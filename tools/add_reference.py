"""Add BibTeX entries to docs/references.bib, skipping keys it already holds.

    python tools/add_reference.py < entries.bib

Keys follow one pattern: first author's surname, year, first content word of the title, all
lower case (``he2016deep``, ``goodfellow2014generative``). An entry whose key is already in the
file is left out and named, so two chapters citing one paper share one entry. Several writers may
run this at once: the file is locked while it is read and appended to.
"""

from __future__ import annotations

import fcntl
import itertools
import re
import sys
from pathlib import Path

BIB = Path(__file__).resolve().parents[1] / "docs" / "references.bib"
ENTRY = re.compile(r"@\w+\s*\{\s*([^,\s]+)\s*,", re.S)


def split_entries(text: str) -> list[tuple[str, str]]:
    """Return (key, entry text) for each ``@type{key, ...}`` entry in ``text``."""
    starts = [m.start() for m in ENTRY.finditer(text)] + [len(text)]
    return [
        (ENTRY.match(text, start).group(1), text[start:end].strip())
        for start, end in itertools.pairwise(starts)
    ]


def main() -> int:
    new = split_entries(sys.stdin.read())
    if not new:
        print("no @type{key, ...} entry on standard input", file=sys.stderr)
        return 1
    BIB.touch()
    with BIB.open("r+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        have = {key for key, _ in split_entries(handle.read())}
        for key, entry in new:
            if key in have:
                print(f"kept the existing entry {key}")
                continue
            handle.write(entry + "\n\n")
            have.add(key)
            print(f"added {key}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
