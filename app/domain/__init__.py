"""Earful's vocabulary: plain dataclasses and rules, with no I/O and no Qt."""
