#!/usr/bin/env python3
"""Renders a terminal capture with colours (tmux capture-pane -e -p) to a PNG,
so a layout can be looked at as an audience would see it.
Usage: scripts/render-screen.py CAPTURE.txt OUT.png [--light]"""
import re, sys
from PIL import Image, ImageDraw, ImageFont

BASE = [(0, 0, 0), (205, 49, 49), (13, 188, 121), (229, 229, 16), (36, 114, 200), (188, 63, 188), (17, 168, 205), (229, 229, 229),
        (102, 102, 102), (241, 76, 76), (35, 209, 139), (245, 245, 67), (59, 142, 234), (214, 112, 214), (41, 184, 219), (255, 255, 255)]

def c256(n):
    if n < 16: return BASE[n]
    if n < 232:
        n -= 16; v = [0, 95, 135, 175, 215, 255]
        return (v[n // 36], v[n // 6 % 6], v[n % 6])
    g = 8 + (n - 232) * 10
    return (g, g, g)

def main():
    src, out = sys.argv[1], sys.argv[2]
    light = "--light" in sys.argv
    dfg, dbg = ((30, 30, 30), (250, 250, 245)) if light else ((220, 220, 220), (20, 20, 24))
    font = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf", 16)
    bold = ImageFont.truetype("/usr/share/fonts/truetype/dejavu/DejaVuSansMono-Bold.ttf", 16)
    lines = open(src, encoding="utf-8").read().split("\n")
    cw, ch = 10, 20
    width = 80
    img = Image.new("RGB", (cw * max(width, 100) + 20, ch * len(lines) + 20), dbg)
    d = ImageDraw.Draw(img)
    for y, line in enumerate(lines):
        fg, bg, b, rev, x = None, None, False, False, 0
        for part in re.split(r"(\x1b\[[0-9;]*m)", line):
            m = re.fullmatch(r"\x1b\[([0-9;]*)m", part)
            if m:
                codes = [int(c) if c else 0 for c in m.group(1).split(";")] or [0]
                i = 0
                while i < len(codes):
                    c = codes[i]
                    if c == 0: fg, bg, b, rev = None, None, False, False
                    elif c == 1: b = True
                    elif c == 22: b = False
                    elif c == 7: rev = True
                    elif c == 27: rev = False
                    elif 30 <= c <= 37: fg = BASE[c - 30]
                    elif 90 <= c <= 97: fg = BASE[c - 90 + 8]
                    elif 40 <= c <= 47: bg = BASE[c - 40]
                    elif 100 <= c <= 107: bg = BASE[c - 100 + 8]
                    elif c == 39: fg = None
                    elif c == 49: bg = None
                    elif c in (38, 48) and i + 2 < len(codes) and codes[i + 1] == 5:
                        if c == 38: fg = c256(codes[i + 2])
                        else: bg = c256(codes[i + 2])
                        i += 2
                    i += 1
                continue
            for chr_ in part:
                f, g = fg or dfg, bg or dbg
                if rev: f, g = g, f
                px, py = 10 + x * cw, 10 + y * ch
                d.rectangle([px, py, px + cw, py + ch], fill=g)
                d.text((px, py), chr_, font=bold if b else font, fill=f)
                x += 1
    img.save(out)

main()
