#!/bin/sh
# Pictures of every theme at 80x24, as a room would see them: the built-in
# scenario 8 s in (the stall: paused, a lock owner, the OOM victim), captured
# from the real binary in tmux with its colours, then drawn on a dark and on
# a light background by scripts/screen-to-png.py.
#   scripts/theme-pictures.sh [OUTDIR]      (after swift build; default /tmp/oomlab-themes)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-/tmp/oomlab-themes}
mkdir -p "$out"
for theme in dark light projector mono; do
    socket="oomlab-pictures-$$-$theme"
    tmux -L "$socket" -f /dev/null new-session -d -s p -x 80 -y 24 -e TERM=xterm-256color -e LANG=C.UTF-8 \
        -e XDG_CONFIG_HOME="$out/config" "env -u NO_COLOR '$root/.build/debug/oomlab' --theme $theme"
    sleep 1.5
    tmux -L "$socket" send-keys -t p n 8 0 0 Enter
    sleep 1
    tmux -L "$socket" send-keys -t p Tab BTab    # clears the "stepped" message
    sleep 1
    tmux -L "$socket" capture-pane -p -e -t p > "$out/$theme.ansi"
    tmux -L "$socket" kill-server
    for background in dark light; do
        python3 "$root/scripts/screen-to-png.py" "$out/$theme.ansi" "$out/$theme-on-$background.png" --background "$background" --scale 1
    done
done
echo "$out"
