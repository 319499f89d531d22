// C shim over ncursesw. Every function here has the cn_ prefix and is
// imported by exactly one Swift file (Sources/oomlab/TUI/Terminal.swift).
// SwiftPM drops pkg-config's defines, so the wide-character switch is set here.
#ifndef CNCURSES_H
#define CNCURSES_H

#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#ifndef _XOPEN_SOURCE_EXTENDED
#define _XOPEN_SOURCE_EXTENDED 1
#endif

#include <ncursesw/curses.h>
#include <wchar.h>

/* Whether the terminfo database knows `term` and it can move the cursor:
   0 yes, 1 unknown type, 2 no terminfo database, 3 no cursor addressing
   (TERM=dumb). Asked before initscr(), which would print its own error. */
int cn_term_check(const char *term);

/// Start curses on the controlling terminal. Returns 0 on success.
int cn_start(void);
/// End curses (endwin); safe to call twice.
void cn_stop(void);
/// True while curses is active.
int cn_is_active(void);
int cn_lines(void);
int cn_cols(void);
int cn_has_colors(void);
/// Initialise colour pairs with the terminal's default background (-1).
void cn_start_color_default(void);
int cn_init_pair(short pair, short fg, short bg);
int cn_colors(void);
/// Put one wide character with attributes and a colour pair at (y, x).
int cn_put(int y, int x, wchar_t ch, unsigned int attrs, short pair);
int cn_refresh(void);
int cn_clear(void);
/// Read one key (wide); returns the key code, or -1 on timeout (ERR).
/// *is_key is set to 1 for KEY_* function keys.
int cn_get_key(int timeout_ms, int *is_key);
void cn_set_cursor(int visible);

unsigned int cn_a_bold(void);
unsigned int cn_a_reverse(void);
unsigned int cn_a_underline(void);
unsigned int cn_a_dim(void);
unsigned int cn_a_normal(void);

int cn_key_resize(void);
int cn_key_up(void);
int cn_key_down(void);
int cn_key_left(void);
int cn_key_right(void);
int cn_key_f(int n);
int cn_key_enter(void);
int cn_key_backspace(void);
int cn_key_npage(void);
int cn_key_ppage(void);
int cn_key_home(void);
int cn_key_end(void);
int cn_key_btab(void);
int cn_key_dc(void);

/// setlocale(LC_ALL, "") and report whether the codeset is UTF-8 (1) or not (0).
int cn_setup_locale(void);
/// 1 when both stdin and stdout are terminals.
int cn_isatty_stdio(void);
/// Wait for input on stdin or a signal (the self-pipe). Returns 1 when stdin
/// is readable, 0 on timeout or signal; timeout_ms < 0 waits forever.
int cn_wait_input(int timeout_ms);
/// Install handlers: SIGINT/SIGTERM/SIGHUP set the quit flag, SIGTSTP sets the
/// suspend flag, SIGWINCH the resize flag; fatal signals (SIGSEGV, SIGILL,
/// SIGTRAP, SIGABRT, SIGBUS, SIGFPE) restore the terminal, then re-raise
/// with the default action. Call before cn_start.
void cn_install_signals(void);
/// The pending quit signal number (0 if none).
int cn_quit_signal(void);
/// 1 if SIGTSTP arrived since the last call.
int cn_take_suspend(void);
/// 1 if SIGWINCH arrived since the last call.
int cn_take_resize(void);
/// Stop curses, stop the process (SIGTSTP with the default action), and on
/// resume restart curses with a full repaint.
void cn_suspend(void);
/// Re-read the terminal size after a resize (resizeterm from the tty's size).
void cn_update_size(void);
/// Force the next refresh to repaint every cell.
void cn_touch_all(void);
/// Monotonic clock in milliseconds.
long long cn_now_ms(void);
int cn_color_black(void);
int cn_color_red(void);
int cn_color_green(void);
int cn_color_yellow(void);
int cn_color_blue(void);
int cn_color_magenta(void);
int cn_color_cyan(void);
int cn_color_white(void);
int cn_color_pairs(void);

#endif
