"""The write side: the Whoosh schema, building and updating the index, the first page kept beside it.
Every private Whoosh name lives in whoosh_internals.py."""
