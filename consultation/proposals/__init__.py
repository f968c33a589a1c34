"""Residents' proposals and their supports."""
