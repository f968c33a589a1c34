"""Councils, their members and roles, their themes."""
