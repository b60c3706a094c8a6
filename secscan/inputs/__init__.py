"""Inputs: which files a scan reads (the walk, excludes and .secscanignore, git's staged blobs)."""
