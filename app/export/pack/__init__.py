"""Conversation packs: the view-model (`model`), its renderers (one module per format) and the writer.

The pack is built by `app.services.packs` from the library; everything here works from the view-model only.
"""
