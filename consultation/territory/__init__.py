"""The territory's local actors (a directory of organisations) and the welcome of project holders."""
