"""Vocabulary data files (TOML) of the text layer; see :mod:`babaresearch.vocab_tables`."""
