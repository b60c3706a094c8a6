"""Helpers that several extractor families share: bounded reads, safe XML, decryption, text budgets,
Excel header codes.
"""
