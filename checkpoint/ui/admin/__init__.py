"""The IT administrator's screens: watchlists and trusted keys, the outbox, settings, users.

Each screen is a page of `AdministrationWindow` (in `window.py`), shown only to a user whose
role has the page's permission. Pages never touch the database on the GUI thread: every read
and every action runs as a job on the window's thread pool and reports back by signal.
"""
