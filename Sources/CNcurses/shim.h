// The few ncurses macros and globals Swift 6 cannot import directly, as static inline functions.
#ifndef SHARDTOP_CNCURSES_SHIM_H
#define SHARDTOP_CNCURSES_SHIM_H
#define _XOPEN_SOURCE_EXTENDED 1
#define NCURSES_WIDECHAR 1
#include <ncursesw/curses.h>
#include <locale.h>
#include <langinfo.h>
#include <wchar.h>

static inline WINDOW *shim_stdscr(void) { return stdscr; }
static inline int shim_lines(void) { return LINES; }
static inline int shim_cols(void) { return COLS; }
static inline int shim_colors(void) { return COLORS; }
static inline int shim_color_pairs(void) { return COLOR_PAIRS; }
static inline attr_t shim_a_bold(void) { return A_BOLD; }
static inline attr_t shim_a_dim(void) { return A_DIM; }
static inline attr_t shim_a_reverse(void) { return A_REVERSE; }
static inline attr_t shim_a_underline(void) { return A_UNDERLINE; }
static inline attr_t shim_a_normal(void) { return A_NORMAL; }
static inline int shim_key_resize(void) { return KEY_RESIZE; }
static inline int shim_key_up(void) { return KEY_UP; }
static inline int shim_key_down(void) { return KEY_DOWN; }
static inline int shim_key_left(void) { return KEY_LEFT; }
static inline int shim_key_right(void) { return KEY_RIGHT; }
static inline int shim_key_npage(void) { return KEY_NPAGE; }
static inline int shim_key_ppage(void) { return KEY_PPAGE; }
static inline int shim_key_home(void) { return KEY_HOME; }
static inline int shim_key_end(void) { return KEY_END; }
static inline int shim_key_enter(void) { return KEY_ENTER; }
static inline int shim_key_backspace(void) { return KEY_BACKSPACE; }
static inline int shim_key_btab(void) { return KEY_BTAB; }
static inline int shim_key_f(int n) { return KEY_F(n); }
static inline int shim_err(void) { return ERR; }

/// newterm on the process's own stdin/stdout (Swift 6 cannot touch the C stdio globals).
static inline SCREEN *shim_newterm(void) { return newterm(NULL, stdout, stdin); }
static inline const char *shim_codeset(void) { return nl_langinfo(CODESET); }

/// Draws one wide character with attributes and a colour pair at (y, x).
static inline int shim_put_cell(int y, int x, wchar_t ch, attr_t attrs, short pair) {
    cchar_t cell;
    wchar_t text[2] = { ch, 0 };
    setcchar(&cell, text, attrs, pair, NULL);
    return mvadd_wch(y, x, &cell);
}

/// Reads one key: a wide character (KEY_CODE_YES = function key), with a timeout set by timeout().
static inline int shim_get_key(wint_t *out) { return get_wch(out); }
static inline int shim_key_code_yes(void) { return KEY_CODE_YES; }
#endif
