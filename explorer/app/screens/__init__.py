"""Screens and modal dialogs: help, alias curation (saved searches and quotes come later)."""
