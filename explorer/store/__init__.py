"""User files in the data folder: saved searches (and, with them, one atomic and locked update)."""
