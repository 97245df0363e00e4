"""Contact sheets of the offline renderer: every setting, prop, action, expression, framing,
angle, time, weather and style, plus the six-panel script of issue #14.

    python benchmarks/contact_sheet.py OUT_DIR [--tile 256]

Writes one PNG per group into OUT_DIR (labels are drawn by this script, not the renderer).
"""

from __future__ import annotations

import argparse
from pathlib import Path

from PIL import Image, ImageDraw

from studio.core.models import Character, ScriptPanel
from studio.core.shot import ACTIONS, ANGLES, EXPRESSIONS, FRAMINGS, Figure, Shot
from studio.render.fonts import load_font
from studio.render.offline import STYLES, render_image
from studio.render.offline.catalogue import PROPS
from studio.render.offline.settings import NAMES

CAST = [
    Character("Mira", age="10", gender="girl", dress="orange wizard robe"),
    Character("Tom", age="40", gender="man", dress="blue suit and glasses"),
    Character("Ada", age="70", gender="woman", dress="purple dress, red cape"),
    Character("Kai", age="25", gender="man", dress="green hoodie and cap"),
]

SIX = [
    (
        "Wide shot of a snowy forest at night. Mira walks alone.",
        Shot(
            "wide",
            setting="forest",
            time="night",
            weather="snow",
            figures=[Figure("Mira", "walk", "neutral", "right")],
        ),
    ),
    (
        "Close-up: Mira gasps.",
        Shot(
            "close-up",
            setting="forest",
            time="night",
            weather="snow",
            figures=[Figure("Mira", "stand", "surprised", "front")],
        ),
    ),
    (
        "Tom steps out from behind a tree, holding a lantern.",
        Shot(
            "medium",
            setting="forest",
            time="night",
            weather="snow",
            figures=[Figure("Tom", "walk", "neutral", "left", ["lantern"])],
            props=["tree"],
        ),
    ),
    (
        "He smiles.",
        Shot(
            "close-up",
            setting="forest",
            time="night",
            weather="snow",
            figures=[Figure("Tom", "hold", "happy", "front", ["lantern"])],
        ),
    ),
    (
        "Mira cries.",
        Shot(
            "close-up",
            setting="forest",
            time="night",
            weather="snow",
            figures=[Figure("Mira", "stand", "crying", "front")],
        ),
    ),
    (
        "They walk together toward a cabin.",
        Shot(
            "wide",
            setting="forest",
            time="night",
            weather="snow",
            figures=[
                Figure("Mira", "walk", "happy", "right"),
                Figure("Tom", "walk", "happy", "right", ["lantern"]),
            ],
            props=["cabin"],
        ),
    ),
]


def _prop_shot(p: str) -> Shot:
    """Big things outside in a wide shot, furniture in a room, the rest in a hand."""
    tom = Figure("Tom", "stand", "neutral", "right")
    match PROPS[p].place:
        case "big" | "air":
            return Shot("wide", setting="park", figures=[tom], props=[p])
        case "floor" | "wall":
            return Shot("medium", setting="cabin", figures=[tom], props=[p])
    return Shot("medium", setting="park", figures=[Figure("Tom", "hold", "happy", "right", [p])])


def groups() -> dict[str, list[tuple[str, Shot]]]:
    one = [Figure("Mira", "stand", "happy")]
    g: dict[str, list[tuple[str, Shot]]] = {}
    g["settings"] = [(s, Shot("wide", setting=s, figures=one)) for s in NAMES]
    g["props"] = [(p, _prop_shot(p)) for p in PROPS] + [
        ("unknown: violin", Shot("medium", setting="park", figures=one, props=["violin"]))
    ]
    duo = {"hug", "fight", "talk"}
    g["actions"] = [
        (
            a,
            Shot(
                "wide",
                setting="park",
                figures=[Figure("Tom", a, "neutral")] + ([Figure("Ada", a)] if a in duo else []),
                props=["bed"] if a in ("lie", "sleep") else [],
            ),
        )
        for a in ACTIONS
    ] + [
        (f"look {w}", Shot("wide", setting="park", figures=[Figure("Tom", "look")]))
        for w in ("up", "down", "aside")
    ]
    g["expressions"] = [
        (e, Shot("close-up", setting="library", figures=[Figure(n, "stand", e, "front")]))
        for e in EXPRESSIONS
        for n in ("Mira", "Tom")
    ]
    two = [Figure("Mira", "talk", "happy"), Figure("Tom", "stand", "neutral")]
    g["framings"] = (
        [(f, Shot(f, setting="street", figures=two)) for f in FRAMINGS]
        + [
            ("extreme-close-up object", Shot("extreme-close-up", setting="library", props=["key"])),
        ]
        + [(f"angle {a}", Shot("wide", a, setting="street", figures=two)) for a in ANGLES]
    )
    g["light"] = [
        (f"{t} {w}", Shot("wide", setting=s, time=t, weather=w, figures=one, props=["lantern"]))
        for s, t, w in [
            ("park", "dawn", "clear"),
            ("park", "day", "clear"),
            ("park", "dusk", "clear"),
            ("park", "night", "clear"),
            ("street", "day", "rain"),
            ("road", "day", "snow"),
            ("beach", "day", "fog"),
            ("mountains", "dusk", "storm"),
            ("bedroom", "day", "clear"),
            ("bedroom", "night", "clear"),
            ("street", "night", "rain"),
            ("lighthouse", "night", "fog"),
        ]
    ]
    g["styles"] = [
        (f"{st}: {s}", SIX[i][1]) for st in STYLES for i, s in ((0, "1"), (2, "3"), (4, "5"))
    ]
    g["six"] = [(f"{i + 1}. {text}", shot) for i, (text, shot) in enumerate(SIX)]
    return g


def sheet(items: list[tuple[str, Shot]], tile: int, cols: int, style_of=None) -> Image.Image:
    rows = (len(items) + cols - 1) // cols
    label = 18
    out = Image.new("RGB", (cols * (tile + 6) + 6, rows * (tile + label + 6) + 6), (255, 255, 255))
    draw = ImageDraw.Draw(out)
    font = load_font("bold", 13)
    for i, (name, shot) in enumerate(items):
        style = name.split(":")[0] if style_of else ""
        panel = ScriptPanel(description=name, shot=shot)
        img, _ = render_image(panel, CAST, [], tile, tile, style=style)
        x, y = 6 + (i % cols) * (tile + 6), 6 + (i // cols) * (tile + label + 6)
        out.paste(img, (x, y + label))
        draw.text((x, y + 2), name[:40], font=font, fill=(0, 0, 0))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("out", type=Path)
    parser.add_argument("--tile", type=int, default=256)
    parser.add_argument("--only", default="")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    for name, items in groups().items():
        if args.only and name != args.only:
            continue
        cols = 3 if name in ("six", "styles") else 6
        tile = args.tile * 2 if name == "six" else args.tile
        sheet(items, tile, cols, style_of=name == "styles").save(args.out / f"{name}.png")
        print(args.out / f"{name}.png")


if __name__ == "__main__":
    main()
