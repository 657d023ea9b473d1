"""Resource routers of the web API (JSON under /api) and the pages."""
