#include "cncurses.h"

static int cn_active = 0;

int cn_start(void) {
    if (initscr() == NULL) return -1;
    cn_active = 1;
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    intrflush(stdscr, FALSE);
    set_escdelay(25);
    return 0;
}

void cn_stop(void) {
    if (cn_active) {
        endwin();
        cn_active = 0;
    }
}

int cn_is_active(void) { return cn_active; }
int cn_lines(void) { return LINES; }
int cn_cols(void) { return COLS; }
int cn_has_colors(void) { return has_colors(); }
int cn_colors(void) { return COLORS; }

void cn_start_color_default(void) {
    start_color();
    use_default_colors();
}

int cn_init_pair(short pair, short fg, short bg) { return init_pair(pair, fg, bg); }

int cn_put(int y, int x, wchar_t ch, unsigned int attrs, short pair) {
    cchar_t cc;
    wchar_t wstr[2] = { ch, L'\0' };
    setcchar(&cc, wstr, (attr_t)attrs, pair, NULL);
    return mvadd_wch(y, x, &cc);
}

int cn_refresh(void) { return refresh(); }
int cn_clear(void) { return clear(); }

int cn_get_key(int timeout_ms, int *is_key) {
    wint_t ch = 0;
    timeout(timeout_ms);
    int r = get_wch(&ch);
    if (r == ERR) { *is_key = 0; return -1; }
    *is_key = (r == KEY_CODE_YES) ? 1 : 0;
    return (int)ch;
}

void cn_set_cursor(int visible) { curs_set(visible); }

unsigned int cn_a_bold(void) { return A_BOLD; }
unsigned int cn_a_reverse(void) { return A_REVERSE; }
unsigned int cn_a_underline(void) { return A_UNDERLINE; }
unsigned int cn_a_dim(void) { return A_DIM; }
unsigned int cn_a_normal(void) { return A_NORMAL; }

int cn_key_resize(void) { return KEY_RESIZE; }
int cn_key_up(void) { return KEY_UP; }
int cn_key_down(void) { return KEY_DOWN; }
int cn_key_left(void) { return KEY_LEFT; }
int cn_key_right(void) { return KEY_RIGHT; }
int cn_key_f(int n) { return KEY_F(n); }
int cn_key_enter(void) { return KEY_ENTER; }
int cn_key_backspace(void) { return KEY_BACKSPACE; }
int cn_key_npage(void) { return KEY_NPAGE; }
int cn_key_ppage(void) { return KEY_PPAGE; }
int cn_key_home(void) { return KEY_HOME; }
int cn_key_end(void) { return KEY_END; }
int cn_key_btab(void) { return KEY_BTAB; }
int cn_key_dc(void) { return KEY_DC; }
