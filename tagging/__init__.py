"""Taxonomy tagging, embeddings and person portraits."""
