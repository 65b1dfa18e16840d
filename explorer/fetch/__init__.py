"""Fetching the news: feeds and pages over HTTP, politely, stored as files in the corpus."""
