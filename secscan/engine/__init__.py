"""The engine: one file through detect → extract → match (pipeline), and many files through isolated
workers (runner).
"""
