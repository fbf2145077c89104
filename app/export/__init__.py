"""Turning library content into files people read: transcripts now, packs for executives later."""
