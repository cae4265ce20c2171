"""Writes src/strokes/hershey.txt: the built-in stroke set of the handwriting MDN.

Source: the Hershey fonts (A. V. Hershey, U.S. National Bureau of Standards, 1967; public
domain), as shipped by the PyPI package `hershey-fonts` 2.1.0 (MIT licence), font
`scripts` (script simplex: single-stroke cursive). Each line is one word: the text, a
tab, then its strokes separated by ';', each stroke its points 'x,y' separated by
spaces, in font units with y up. Strokes that start where the last one ended are joined
(the pen does not lift). The engine turns these into pen offsets with a seeded jitter
(src/strokes/data.rs); nothing is downloaded at run time.

Run: pip install hershey-fonts==2.1.0 && python3 src/strokes/hershey.py > src/strokes/hershey.txt

With `--glyphs` it writes src/strokes/glyphs.txt instead, the same font's characters one
by one for the lines of text the synthesis network learns to write: each line the
character, a tab, its left and right side (where the pen starts and where the next
character starts, font units), a tab, then its strokes as above, in the character's own
coordinates (y up, the baseline at y = -9). The engine sets them side by side
(src/strokes/lines.rs).

Run: python3 src/strokes/hershey.py --glyphs > src/strokes/glyphs.txt
"""
from HersheyFonts import HersheyFonts

WORDS = list("abcdefghijklmnopqrstuvwxyz") + """
the and of to in is it on as at be by we he an or no so up my
mind name mean onion union ample cell ill all ill wool loop moon
""".split()


def strokes(font, text):
    out = []
    for s in font.strokes_for_text(text):
        pts = [(x, -y) for x, y in s]
        if out and out[-1][-1] == pts[0]:
            out[-1].extend(pts[1:])
        else:
            out.append(list(pts))
    return out


def main():
    font = HersheyFonts()
    font.load_default_font("scripts")
    seen = set()
    for w in WORDS:
        if w in seen:
            continue
        seen.add(w)
        parts = [" ".join(f"{x},{y}" for x, y in s) for s in strokes(font, w)]
        print(w + "\t" + ";".join(parts))


# The characters the synthesis network writes: the space, letters, digits and a little
# punctuation.
ALPHABET = " abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.,'!?-"


def glyphs():
    font = HersheyFonts()
    font.load_default_font("scripts")
    table = font._HersheyFonts__glyphs
    for c in ALPHABET:
        g = table[c]
        out = []
        for st in g.strokes:
            pts = [(x, -y) for x, y in st]
            if out and out[-1][-1] == pts[0]:
                out[-1].extend(pts[1:])
            else:
                out.append(list(pts))
        parts = [" ".join(f"{x},{y}" for x, y in st) for st in out if len(st) > 1]
        print(f"{c}\t{g.left_offset} {g.left_offset + g.char_width}\t" + ";".join(parts))


if __name__ == "__main__":
    import sys

    if "--glyphs" in sys.argv:
        glyphs()
    else:
        main()
