"""Bytes to kind: a file's type from its content (magic numbers, ZIP and OLE directories, text
sniffing, WeChat .dat).
"""
