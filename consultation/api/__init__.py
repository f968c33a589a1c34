"""The open data API: a read-only JSON view of what the public pages show, under /api/v1/."""
