"""Who said what, word by word, without PyTorch: voices on one-channel calls, echo on two.

The heavy half runs in the transcription worker process (`stage` holds what the services layer sends
there): `speech` regions, `features` (Kaldi filterbank), 1-second `windows` embedded by CAM++ through
onnxruntime (`embedder`, `embedding`), a chunk of audio at a time. The light half runs where the library
is: `clustering` groups the windows into voices, `attribution` labels every word and cuts segments into
turns, `naming` maps voices onto the interview's speakers (keeping the ones the user named). `echo` is the
two-channel rule: no model, just which channel is louder for each word.
"""
