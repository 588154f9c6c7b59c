"""Tandem: customer service where AI and human agents work in tandem."""

__version__ = "0.1.0"
