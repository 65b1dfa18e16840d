"""Errors a user can cause and fix: each carries one line that names the file, line or query."""


class UserError(Exception):
    """A mistake in the user's input; shown as one line, never a traceback."""

    exit_status = 2


class ConfigError(UserError):
    """The configuration file is missing or malformed."""


class DataFileError(UserError):
    """A user data file (saved searches, quotes, entities) cannot be read; it is left untouched."""


class QueryError(UserError):
    """A search query that cannot be parsed."""


class NotFoundError(UserError):
    """A named thing (article id, saved search, quote) does not exist."""


class WriteError(UserError, OSError):
    """A file or folder cannot be written (disk full, read-only, not allowed): one line naming
    it. Still an OSError, so code that tolerates a failed write (a cache) goes on doing so."""

    def __init__(self, path, exc: OSError, what: str = "cannot write"):
        super().__init__(exc.errno, exc.strerror, str(path))
        self.message = f"{path}: {what}: {exc.strerror or exc}"

    def __str__(self) -> str:
        return self.message
