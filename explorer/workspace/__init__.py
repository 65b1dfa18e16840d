"""The one API the CLI and the app call: a configured corpus, its index and the user's data."""

from explorer.workspace.workspace import Workspace

__all__ = ["Workspace"]
