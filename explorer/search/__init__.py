"""The read side: parsing queries, ranking, snippets, date filters and spelling suggestions."""
