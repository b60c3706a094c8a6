"""Windows metafiles: EMF, EMF+ and WMF record readers (text, with font charsets, and embedded bitmaps)."""
