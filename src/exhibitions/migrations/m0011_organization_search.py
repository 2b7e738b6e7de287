"""A folded copy of each organization's names and city, for search that ignores case, Latin
accents and Arabic diacritics the same way on both engines (``exhibitions.search.fold``).
SQLite's LIKE folds ASCII only and PostgreSQL's ILIKE keeps accents, so the folding is done
once, when the row is written, and the search is a plain LIKE on this column."""

ID = "0011_organization_search"

SQL = """
ALTER TABLE "organization" ADD COLUMN "search_text" TEXT NOT NULL DEFAULT '';
"""
