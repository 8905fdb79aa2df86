"""The panes beside the page: Annotations, Metadata, Provenance, Verification."""
