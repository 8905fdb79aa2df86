"""Forensic signals: what a file's structure, metadata and pixels say about its history."""
