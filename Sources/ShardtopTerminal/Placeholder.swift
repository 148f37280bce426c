// The only code that calls ncurses; see TerminalSession.swift.
