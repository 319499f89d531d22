#!/usr/bin/env python3
"""Regenerates the README's captured outputs from the built binary, so the
front door stays true after a model change: the `oomlab run` excerpt and the
`oomlab compare` table. Run after `swift build`:  scripts/update-readme-snippets.py
(The test RunCommandTests.readmeCompare fails when the table is stale.)"""
import subprocess, pathlib

root = pathlib.Path(__file__).resolve().parent.parent
binary = root / ".build/debug/oomlab"

def out(*args):
    return subprocess.run([str(binary), *args], check=True, capture_output=True, text=True, cwd=root).stdout

def excerpt(run):
    lines = run.splitlines()
    head = [l for l in lines[:40] if not l.startswith("[")][:26]
    keys = ["invoked oom-killer", "Out of memory", "Killed process", "XFS:", "oomlab:", "INFO: task"]
    picked = []
    for l in lines:
        if not l.startswith("[") or not any(k in l for k in keys) or "livelock" in l:
            continue
        if "XFS" in l and any("XFS" in x for x in picked):
            continue
        if "INFO" in l and any("INFO" in x for x in picked):
            continue
        picked.append(l)
    tail = [l for l in lines[-4:] if l.strip()]
    return "\n".join(head[:3] + ["  ..."] + head[13:17] + ["  ...", ""] + picked + ["..."] + tail)

def replace_block_after(text, anchor, new):
    i = text.index(anchor) + len(anchor)
    a = text.index("```\n", i) + 4
    b = text.index("\n```", a)
    return text[:a] + new + text[b:]

readme = root / "README.md"
text = readme.read_text()
text = replace_block_after(text, "with its tick and a reason naming pids and locks:", excerpt(out("run")))
text = replace_block_after(text, "`--format json` for scripts):", out("compare").rstrip())
readme.write_text(text)
