"""Text-like formats: plain text, CSV/TSV, XML and HTML."""
