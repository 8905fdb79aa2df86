"""Evidence bundles: export, redaction, verification and exchange."""
