"""Ingest: walking what a person gave, copying and hashing it, and reading it with MuPDF in workers."""
