"""Write desktop/store/strokes.py from Unihan's kTotalStrokes.

    python scripts/make_strokes.py [Unihan_IRGSources.txt.bz2]


The file comes with Debian's unicode-data package (/usr/share/unicode/) or unicode.org's Unihan.zip.
"""
import bz2
import sys
import textwrap
from pathlib import Path

FIRST, LAST = 0x4E00, 0x9FFF       # CJK Unified Ideographs: every character a name is written in
ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/"     # 1..64 strokes
UNKNOWN = "."


def main(source: str = "/usr/share/unicode/Unihan_IRGSources.txt.bz2") -> None:
    strokes = {}
    with bz2.open(source, "rt", encoding="utf-8") as file:
        for line in file:
            if "\tkTotalStrokes\t" in line:
                code, _, value = line.rstrip("\n").split("\t")
                strokes[int(code[2:], 16)] = int(value.split()[0])      # the first count is the Chinese one
    def symbol(code: int) -> str:
        count = strokes.get(code, 0)
        return ALPHABET[count - 1] if 0 < count <= len(ALPHABET) else UNKNOWN
    text = "".join(symbol(c) for c in range(FIRST, LAST + 1))
    lines = "\n".join(f'    "{line}"' for line in textwrap.wrap(text, 112))
    target = Path(__file__).parent.parent / "desktop" / "store" / "strokes.py"
    target.write_text(f'''"""Stroke counts of CJK Unified Ideographs (Unihan kTotalStrokes): the order of homophones.

Written by scripts/make_strokes.py; do not edit by hand. Chinese collation (ICU's, WPS's) orders
characters of one pinyin and tone by strokes: 阳 (6) before 杨 (7), 陈 (7) before 谌 (11).
"""
FIRST = 0x{FIRST:X}
ALPHABET = "{ALPHABET}"
UNKNOWN = 99
COUNTS = (
{lines}
)


def strokes(char: str) -> int:
    """The stroke count of one character; UNKNOWN outside the block or where Unihan has none."""
    index = ord(char) - FIRST
    if 0 <= index < len(COUNTS):
        found = ALPHABET.find(COUNTS[index])
        if found >= 0:
            return found + 1
    return UNKNOWN
''', encoding="utf-8")


if __name__ == "__main__":
    main(*sys.argv[1:])
