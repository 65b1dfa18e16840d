"""One widget a file: search bar, results list, article view, entity sidebar, status line."""
