"""Turning library content into files people read: transcript formats (`transcript_formats`), CSV that a
spreadsheet cannot take for formulas (`spreadsheet`), and conversation packs for executives (`pack/`)."""
