#!/usr/bin/env python3
"""Regenerates the README's captured outputs from the built binary, so the
front door stays true after a model change: the `oomlab run` excerpt, the
`oomlab compare` table, and the TUI at 100x30 (captured in tmux, also in
docs/screen.txt). Run after `swift build`:  scripts/update-readme-snippets.py
(The test RunCommandTests.readmeCompare fails when the table is stale.)"""
import subprocess, pathlib, time

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
    start = max(i for i, l in enumerate(lines) if l.startswith("oom kills:"))
    tail = [l for l in lines[start:] if l.strip()]
    return "\n".join(head[:3] + ["  ..."] + head[13:17] + ["  ...", ""] + picked + ["..."] + tail)

def replace_block_after(text, anchor, new):
    i = text.index(anchor) + len(anchor)
    a = text.index("```\n", i) + 4
    b = text.index("\n```", a)
    return text[:a] + new + text[b:]

def tui_screen(ticks=800, width=100, height=30):
    """The TUI stepped `ticks` ticks with `n`, as tmux capture-pane shows it."""
    session = "oomlab-snippet-%d" % int(time.time())
    env_cmd = "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color XDG_CONFIG_HOME=/nonexistent OOMLAB_PRESETS=%s %s" % (root / "presets", binary)
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", str(width), "-y", str(height), env_cmd], check=True)
    try:
        time.sleep(1.0)
        subprocess.run(["tmux", "send-keys", "-t", session, "n", *list(str(ticks)), "Enter"], check=True)
        time.sleep(0.5)
        subprocess.run(["tmux", "send-keys", "-t", session, "Tab", "BTab"], check=True)  # clears the "stepped" message
        time.sleep(1.5)
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", session], check=True,
                              capture_output=True, text=True).stdout.rstrip("\n")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session])

def tui_keys(keys, width=100, height=30):
    """The TUI after `keys` (tmux send-keys names, sent one group at a time), as capture-pane shows it."""
    session = "oomlab-snippet-keys-%d" % int(time.time())
    env_cmd = "env LANG=C.UTF-8 LC_ALL=C.UTF-8 TERM=xterm-256color XDG_CONFIG_HOME=/nonexistent OOMLAB_PRESETS=%s %s" % (root / "presets", binary)
    subprocess.run(["tmux", "new-session", "-d", "-s", session, "-x", str(width), "-y", str(height), env_cmd], check=True)
    try:
        time.sleep(1.0)
        for group in keys:
            subprocess.run(["tmux", "send-keys", "-t", session, *group], check=True)
            time.sleep(0.5)
        time.sleep(1.0)
        return subprocess.run(["tmux", "capture-pane", "-p", "-t", session], check=True,
                              capture_output=True, text=True).stdout.rstrip("\n")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session])

readme = root / "README.md"
text = readme.read_text()
text = replace_block_after(text, "the outcome's history, and the verdict with a reason naming pids and locks:", excerpt(out("run")))
text = replace_block_after(text, "`--format json` for scripts):", out("compare").rstrip())
readme.write_text(text)
screen = tui_screen()
text = readme.read_text()
text = replace_block_after(text, "`kmem_alloc`:", screen)
readme.write_text(text)
docs = root / "docs/screen.txt"
docs.write_text(replace_block_after(docs.read_text(), "oomlab tui --print-keys\n", screen))
# The key lists: README.md and docs/screen.txt, both from the key table.
keys = out("tui", "--print-keys").rstrip()
text = readme.read_text()
readme.write_text(replace_block_after(text, "(`oomlab tui --print-keys` prints it):", keys))
text = docs.read_text()
docs.write_text(replace_block_after(text, "the same one the help screen uses):", keys))
# The fork view: the built-in scenario forked at tick 300 with the reaper on, 7 s on.
fork = tui_keys([["g", "3", "0", "0", "Enter"], ["f"], ["Down", "Down", "Enter"], ["n", "7", "0", "0", "Enter"]])
text = readme.read_text()
readme.write_text(replace_block_after(text, "on the right, at 100x30:", fork))
