#include "cncurses.h"
#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <locale.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <ncursesw/term.h>

static int cn_active = 0;

int cn_term_check(const char *term) {
    int err = 0;
    if (setupterm((char *)term, STDOUT_FILENO, &err) != OK) return err == -1 ? 2 : 1;
    const char *cup = tigetstr("cup");
    int ok = cup != NULL && cup != (char *)-1;
    del_curterm(cur_term);
    cur_term = NULL;
    return ok ? 0 : 3;
}

static struct termios cn_saved_termios;
static int cn_have_termios = 0;

static void cn_capture_stderr(void);
static void cn_release_stderr(void);

int cn_start(void) {
    if (tcgetattr(STDIN_FILENO, &cn_saved_termios) == 0) cn_have_termios = 1;
    if (initscr() == NULL) return -1;
    cn_capture_stderr();
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
    cn_release_stderr();
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

int cn_color_black(void) { return COLOR_BLACK; }
int cn_color_red(void) { return COLOR_RED; }
int cn_color_green(void) { return COLOR_GREEN; }
int cn_color_yellow(void) { return COLOR_YELLOW; }
int cn_color_blue(void) { return COLOR_BLUE; }
int cn_color_magenta(void) { return COLOR_MAGENTA; }
int cn_color_cyan(void) { return COLOR_CYAN; }
int cn_color_white(void) { return COLOR_WHITE; }
int cn_color_pairs(void) { return COLOR_PAIRS; }

int cn_setup_locale(void) {
    setlocale(LC_ALL, "");
    const char *cs = nl_langinfo(CODESET);
    if (cs == NULL) return 0;
    return (strcmp(cs, "UTF-8") == 0 || strcmp(cs, "utf8") == 0) ? 1 : 0;
}

int cn_isatty_stdio(void) { return isatty(STDIN_FILENO) && isatty(STDOUT_FILENO); }

/* The self-pipe: signal handlers write a byte so that poll() wakes up. */
static int cn_pipe[2] = { -1, -1 };
static volatile sig_atomic_t cn_quit_sig = 0;
static volatile sig_atomic_t cn_suspend_flag = 0;
static volatile sig_atomic_t cn_resize_flag = 0;

static void cn_wake(void) {
    if (cn_pipe[1] >= 0) {
        int saved = errno;
        char c = 1;
        ssize_t r = write(cn_pipe[1], &c, 1);
        (void)r;
        errno = saved;
    }
}

static void cn_on_quit(int sig) { cn_quit_sig = sig; cn_wake(); }
static void cn_on_tstp(int sig) { (void)sig; cn_suspend_flag = 1; cn_wake(); }
static void cn_on_winch(int sig) { (void)sig; cn_resize_flag = 1; cn_wake(); }

/* While the screen is up, stderr goes to an unlinked temporary file: what
   the Swift runtime prints on a trap ("Fatal error: ..."), or any warning,
   would otherwise be drawn over the screen and lost with it. Restoring the
   terminal puts stderr back and replays what was written. Only
   async-signal-safe calls (dup2, lseek, read, write), so a signal handler
   may do it. */
static int cn_stderr_saved = -1;
static int cn_stderr_file = -1;

static void cn_capture_stderr(void) {
    if (cn_stderr_saved >= 0) return;
    char path[] = "/tmp/oomlab-stderr-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return;
    unlink(path);
    int saved = dup(STDERR_FILENO);
    if (saved < 0) { close(fd); return; }
    fcntl(saved, F_SETFD, FD_CLOEXEC);
    fcntl(fd, F_SETFD, FD_CLOEXEC);
    dup2(fd, STDERR_FILENO);
    cn_stderr_saved = saved;
    cn_stderr_file = fd;
}

static void cn_release_stderr(void) {
    if (cn_stderr_saved < 0) return;
    dup2(cn_stderr_saved, STDERR_FILENO);
    if (lseek(cn_stderr_file, 0, SEEK_SET) == 0) {
        char buf[4096];
        ssize_t n;
        while ((n = read(cn_stderr_file, buf, sizeof buf)) > 0) {
            ssize_t r = write(STDERR_FILENO, buf, (size_t)n);
            (void)r;
        }
    }
    close(cn_stderr_file);
    close(cn_stderr_saved);
    cn_stderr_saved = -1;
    cn_stderr_file = -1;
}

static void cn_restore_terminal(void) {
    if (cn_active) {
        endwin();
        cn_active = 0;
    }
    if (cn_have_termios) tcsetattr(STDIN_FILENO, TCSANOW, &cn_saved_termios);
    cn_release_stderr();
}

static void cn_say(const char *text) {
    ssize_t r = write(STDERR_FILENO, text, strlen(text));
    (void)r;
}

static const char *cn_fatal_name(int sig) {
    switch (sig) {
    case SIGSEGV: return "SIGSEGV (segmentation fault)";
    case SIGILL: return "SIGILL (illegal instruction: a Swift runtime trap, such as an arithmetic overflow or a failed check)";
    case SIGTRAP: return "SIGTRAP (a Swift runtime trap)";
    case SIGABRT: return "SIGABRT (abort)";
    case SIGBUS: return "SIGBUS (bus error)";
    case SIGFPE: return "SIGFPE (arithmetic exception)";
    default: return "a fatal signal";
    }
}

/* A crash: restore the terminal, replay what was printed to stderr (the
   runtime's "Fatal error: ... file F, line N" for a Swift trap), say what
   happened in one line, then die of the signal with its default action.
   The Swift runtime's own crash reporter is not chained to: on a terminal it
   is interactive and would wait 30 s on a half-restored screen. */
static void cn_on_fatal(int sig) {
    cn_restore_terminal();
    cn_say("oomlab: crashed: ");
    cn_say(cn_fatal_name(sig));
    cn_say("; the terminal is restored; a core dump is written only if `ulimit -c` allows one\n");
    signal(sig, SIG_DFL);
    raise(sig);
}

static const char *cn_terminating_name(int sig) {
    switch (sig) {
    case SIGUSR1: return "SIGUSR1";
    case SIGUSR2: return "SIGUSR2";
    case SIGALRM: return "SIGALRM";
    case SIGPIPE: return "SIGPIPE";
    case SIGVTALRM: return "SIGVTALRM";
    case SIGPROF: return "SIGPROF";
    case SIGXCPU: return "SIGXCPU (CPU time limit)";
    case SIGXFSZ: return "SIGXFSZ (file size limit)";
    case SIGIO: return "SIGIO";
    case SIGPWR: return "SIGPWR";
    case SIGSYS: return "SIGSYS (bad system call)";
    case SIGSTKFLT: return "SIGSTKFLT";
    default: return "a signal";
    }
}

/* A signal nobody handles (SIGUSR1, SIGALRM, ...): its default action ends
   the process, so restore the terminal first, say which signal ended the
   run (a shell prints nothing for most of them, and the screen just
   vanishes), then let it. */
static void cn_on_terminate(int sig) {
    cn_restore_terminal();
    cn_say("oomlab: ended by ");
    cn_say(cn_terminating_name(sig));
    cn_say(", which it does not handle; the terminal is restored\n");
    signal(sig, SIG_DFL);
    raise(sig);
}


static void cn_handle(int sig, void (*fn)(int), int flags) {
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = fn;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = flags;
    sigaction(sig, &sa, NULL);
}

void cn_install_signals(void) {
    if (cn_pipe[0] < 0 && pipe(cn_pipe) == 0) {
        for (int i = 0; i < 2; i++) {
            fcntl(cn_pipe[i], F_SETFL, fcntl(cn_pipe[i], F_GETFL) | O_NONBLOCK);
            fcntl(cn_pipe[i], F_SETFD, FD_CLOEXEC);
        }
    }
    cn_handle(SIGINT, cn_on_quit, 0);
    cn_handle(SIGTERM, cn_on_quit, 0);
    cn_handle(SIGHUP, cn_on_quit, 0);
    cn_handle(SIGQUIT, cn_on_quit, 0);   /* Ctrl-\\: quit cleanly, no core dump over the screen */
    int terminating[] = { SIGUSR1, SIGUSR2, SIGALRM, SIGPIPE, SIGVTALRM, SIGPROF, SIGXCPU, SIGXFSZ,
                          SIGIO, SIGPWR, SIGSYS, SIGSTKFLT };
    for (unsigned i = 0; i < sizeof terminating / sizeof terminating[0]; i++) {
        struct sigaction old;
        sigaction(terminating[i], NULL, &old);
        if (old.sa_handler == SIG_IGN) continue;   /* ignored by our parent: stays ignored */
        cn_handle(terminating[i], cn_on_terminate, SA_RESETHAND);
    }
    cn_handle(SIGTSTP, cn_on_tstp, 0);
    cn_handle(SIGWINCH, cn_on_winch, 0);
    int fatal[] = { SIGSEGV, SIGILL, SIGTRAP, SIGABRT, SIGBUS, SIGFPE };
    for (unsigned i = 0; i < sizeof fatal / sizeof fatal[0]; i++) {
        cn_handle(fatal[i], cn_on_fatal, SA_RESETHAND | SA_NODEFER);
    }
    /* A parent may have left some of them blocked (the mask survives exec). */
    sigset_t set;
    sigemptyset(&set);
    int ours[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP, SIGCONT, SIGWINCH };
    for (unsigned i = 0; i < sizeof ours / sizeof ours[0]; i++) sigaddset(&set, ours[i]);
    for (unsigned i = 0; i < sizeof fatal / sizeof fatal[0]; i++) sigaddset(&set, fatal[i]);
    sigprocmask(SIG_UNBLOCK, &set, NULL);
}

int cn_quit_signal(void) { return cn_quit_sig; }
int cn_take_suspend(void) { int f = cn_suspend_flag; cn_suspend_flag = 0; return f; }
int cn_take_resize(void) { int f = cn_resize_flag; cn_resize_flag = 0; return f; }

int cn_wait_input(int timeout_ms) {
    struct pollfd fds[2];
    fds[0].fd = STDIN_FILENO;
    fds[0].events = POLLIN;
    fds[0].revents = 0;
    fds[1].fd = cn_pipe[0];
    fds[1].events = POLLIN;
    fds[1].revents = 0;
    int n = poll(fds, cn_pipe[0] >= 0 ? 2 : 1, timeout_ms);
    if (n <= 0) return 0;
    if (fds[1].revents & POLLIN) {
        char buf[64];
        while (read(cn_pipe[0], buf, sizeof buf) > 0) {}
    }
    return (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) ? 1 : 0;
}

void cn_update_size(void) {
    struct winsize ws;
    if (ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_row > 0 && ws.ws_col > 0) {
        resize_term(ws.ws_row, ws.ws_col);
    }
    clearok(curscr, TRUE);
}

void cn_touch_all(void) { clearok(curscr, TRUE); }

void cn_suspend(void) {
    if (cn_active) endwin();
    cn_handle(SIGTSTP, SIG_DFL, 0);
    raise(SIGTSTP);
    /* Resumed (SIGCONT). */
    cn_handle(SIGTSTP, cn_on_tstp, 0);
    if (cn_active) {
        cn_update_size();
        refresh();
    }
}

long long cn_now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
