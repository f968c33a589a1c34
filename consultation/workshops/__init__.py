"""Concertation workshops and their phases."""
