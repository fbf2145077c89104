"""Earful: record, transcribe on your laptop, tag and share customer interviews."""

__version__ = "0.1.0"
