"""The interfaces: the `plantalent` CLI and the FastAPI app."""
