"""The component and line colours as colour-blind viewers see them (the reference for
tests/native/colours.rs). Method: Machado, Oliveira & Fernandes (2009), "A physiologically-based
model for simulation of color vision deficiency", severity 1.0 matrices applied to linear
sRGB; distance: CIE76 ΔE*ab in CIELAB (D65). Prints, for each palette and each vision,
the smallest distance between two of its colours and which pair. Pure Python 3."""
import itertools
import math

MACHADO = {
    "normal": [[1, 0, 0], [0, 1, 0], [0, 0, 1]],
    "protan": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216], [-0.003882, -0.048116, 1.051998]],
    "deutan": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413], [-0.011820, 0.042940, 0.968881]],
    "tritan": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602], [0.004733, 0.691367, 0.303900]],
}


def mul(m, v):
    return [sum(m[i][j] * v[j] for j in range(3)) for i in range(3)]


def linear(c):
    return [x / 12.92 if x <= 0.04045 else ((x + 0.055) / 1.055) ** 2.4 for x in (v / 255 for v in c)]


def lab(rgb_linear):
    l = [min(max(x, 0.0), 1.0) for x in rgb_linear]
    x, y, z = mul([[0.4124564, 0.3575761, 0.1804375], [0.2126729, 0.7151522, 0.0721750], [0.0193339, 0.1191920, 0.9503041]], l)
    t = [x / 0.95047, y / 1.0, z / 1.08883]
    f = [v ** (1 / 3) if v > (6 / 29) ** 3 else v / (3 * (6 / 29) ** 2) + 4 / 29 for v in t]
    return [116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])]


def worst(palette):
    out = {}
    for vision, m in MACHADO.items():
        seen = [lab(mul(m, linear(c))) for c in palette]
        out[vision] = min((math.dist(seen[i], seen[j]), i, j) for i, j in itertools.combinations(range(len(seen)), 2))
    return out


PALETTES = {
    "components (first 6)": [(230, 159, 0), (86, 180, 233), (204, 121, 167), (0, 158, 115), (240, 228, 66), (213, 94, 0)],
    "tableau10 (first 6, before)": [(255, 127, 14), (214, 39, 40), (148, 103, 189), (227, 119, 194), (188, 189, 34), (23, 190, 207)],
    "loss lines, light": [(0, 114, 178), (213, 94, 0), (110, 110, 110), (0, 158, 115)],
    "loss lines, dark": [(86, 180, 233), (230, 159, 0), (175, 175, 175), (0, 158, 115)],
}

if __name__ == "__main__":
    for name, pal in PALETTES.items():
        print(name)
        for vision, (d, i, j) in worst(pal).items():
            print(f"  {vision}: {d:.1f} ({i}, {j})")
