#!/usr/bin/env python3
"""Renders a screen captured with `tmux capture-pane -p -e` (text with SGR
escape sequences) to a PNG, as a terminal with a dark or light background
shows it, so a theme can be looked at as an audience at the back of a room
would see it.

    scripts/screen-to-png.py capture.ansi out.png [--background dark|light] [--scale 2]

The 8 colours are xterm's defaults; bold is drawn with the bold font (no
bright colours), dim at half intensity, reverse swaps the two colours."""
import re, sys
from PIL import Image, ImageDraw, ImageFont

PALETTE = [(0, 0, 0), (205, 0, 0), (0, 205, 0), (205, 205, 0), (0, 0, 238), (205, 0, 205), (0, 205, 205), (229, 229, 229)]
BACKGROUNDS = {"dark": ((0, 0, 0), (229, 229, 229)), "light": ((255, 255, 255), (0, 0, 0))}
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"
BOLD = "/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf"

def cells(text):
    """Yields rows of (char, fg, bg, bold, dim, reverse, underline); None is the default colour."""
    state = dict(fg=None, bg=None, bold=False, dim=False, reverse=False, underline=False)
    for line in text.split("\n"):
        row = []
        for part in re.split(r"(\x1b\[[0-9;]*m)", line):
            m = re.fullmatch(r"\x1b\[([0-9;]*)m", part)
            if not m:
                row += [(c, dict(state)) for c in part]
                continue
            codes = [int(c) for c in m.group(1).split(";") if c] or [0]
            for c in codes:
                if c == 0: state.update(fg=None, bg=None, bold=False, dim=False, reverse=False, underline=False)
                elif c == 1: state["bold"] = True
                elif c == 2: state["dim"] = True
                elif c == 4: state["underline"] = True
                elif c == 7: state["reverse"] = True
                elif c == 22: state.update(bold=False, dim=False)
                elif c == 24: state["underline"] = False
                elif c == 27: state["reverse"] = False
                elif 30 <= c <= 37: state["fg"] = c - 30
                elif c == 39: state["fg"] = None
                elif 40 <= c <= 47: state["bg"] = c - 40
                elif c == 49: state["bg"] = None
                elif 90 <= c <= 97: state["fg"] = c - 90
        yield row

def main():
    args = sys.argv[1:]
    background = "dark"
    scale = 2
    if "--background" in args:
        i = args.index("--background"); background = args[i + 1]; del args[i:i + 2]
    if "--scale" in args:
        i = args.index("--scale"); scale = int(args[i + 1]); del args[i:i + 2]
    source, target = args
    rows = list(cells(open(source, encoding="utf-8").read().rstrip("\n")))
    size = 14 * scale
    font, bold = ImageFont.truetype(FONT, size), ImageFont.truetype(BOLD, size)
    cw, ch = int(font.getlength("M")), int(size * 1.25)
    width = max(80, max(len(r) for r in rows))
    default_bg, default_fg = BACKGROUNDS[background]
    img = Image.new("RGB", (cw * width + 2 * cw, ch * len(rows) + 2 * ch), default_bg)
    draw = ImageDraw.Draw(img)
    for y, row in enumerate(rows):
        for x, (c, s) in enumerate(row):
            fg = PALETTE[s["fg"]] if s["fg"] is not None else default_fg
            bg = PALETTE[s["bg"]] if s["bg"] is not None else default_bg
            if s["reverse"]: fg, bg = bg, fg
            if s["dim"]: fg = tuple((a + b) // 2 for a, b in zip(fg, bg))
            px, py = cw + x * cw, ch + y * ch
            draw.rectangle([px, py, px + cw - 1, py + ch - 1], fill=bg)
            if c != " ":
                draw.text((px, py), c, fill=fg, font=bold if s["bold"] else font)
            if s["underline"]:
                draw.line([px, py + ch - 2, px + cw - 1, py + ch - 2], fill=fg, width=scale)
    img.save(target)

main()
