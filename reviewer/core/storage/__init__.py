"""Storage: the case folder, the SQLite database, its migrations and the custody log."""
