"""Knowledge bases for grounded answers: ingest, chunk, index, retrieve."""
