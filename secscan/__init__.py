"""secscan: find secrecy and classification markings in documents before they leave the building."""

__version__ = "0.1.0"
