"""Readers, validation and batched loading of the contract input files; the sample generator."""
