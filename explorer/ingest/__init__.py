"""Reading a corpus: walking its files and turning each format into Article records."""
