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
