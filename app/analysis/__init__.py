"""Reading interviews by meaning, offline: sentence embeddings, where a guide's questions were asked, which
question each customer turn answers, themes across interviews and search by meaning. Qt-free; used by
`services/analysis.py` for the CLI and the window alike."""
