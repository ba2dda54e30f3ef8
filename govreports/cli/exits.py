"""Exit codes: a contract with cron wrappers and scripts. Never renumber them.

The numbers mean the same thing in every command: 0 all well, 1 done with gaps or errors
worth a look, 2 usage, 3 nothing usable found, 4 the network failed us, 5 locked out.
"""

EXIT_OK = 0
EXIT_GAPS = 1
EXIT_USAGE = 2
EXIT_NOT_REPORT = 3
EXIT_FETCH = 4
EXIT_LOCKED = 5
EXIT_INTERRUPTED = 130  # Ctrl-C or SIGINT: 128 + the signal's number, as shells report it
EXIT_TERMINATED = 143  # SIGTERM (systemd stopping the service, kill): 128 + 15
