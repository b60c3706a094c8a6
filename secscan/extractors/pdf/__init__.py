"""PDF: text layer (pdfium), annotations, metadata, attachments, and recovery of glyphs pdfium drops."""
