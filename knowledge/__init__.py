"""Bundled knowledge, in our own words, and the code that loads and indexes it."""
