"""Forensic signals: what a file's structure, metadata and pixels say about its history.

Signals inform; they never decide a verdict. Modules, by what a caller wants:

- :mod:`~reviewer.core.forensics.signals` — :class:`Signal` and :class:`Severity`, what every check returns;
- :mod:`~reviewer.core.forensics.pdf` — ``pdf_signals(path, password=, received=)``, every import-time
  signal of a PDF (metadata, revisions, scripts, attachments, forms, signatures, fonts, page images);
- :mod:`~reviewer.core.forensics.image` — ``image_signals(path_or_bytes, received=)``: EXIF, editing
  software, the embedded thumbnail, the JPEG quality;
- :mod:`~reviewer.core.forensics.revisions` — incremental updates, and each earlier revision's bytes;
- :mod:`~reviewer.core.forensics.phash` — 64-bit perceptual hashes and their Hamming distance;
- :mod:`~reviewer.core.forensics.ela` — the error-level overlay of a picture (on demand);
- :mod:`~reviewer.core.forensics.regions` — where else a stamp, signature or letterhead appears (on demand).

Nothing is imported here, so that importing one module does not load the others.
"""
