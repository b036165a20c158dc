"""Documents in, indexed chunks out: loaders, chunking and the staged ingest pipeline."""
