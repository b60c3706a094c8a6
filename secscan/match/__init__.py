"""Matching: normalisation, the pattern catalog, the keyword prefilter, context scoring and document facts.

Pure functions of text: nothing here reads a file or knows a format (tested with plain strings).
"""
