"""Quotations in articles (detection, speakers), kept quotes and their anchoring, export formats."""
