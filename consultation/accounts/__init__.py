"""Accounts: registration, login, language preference."""
