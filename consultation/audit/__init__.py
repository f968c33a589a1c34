"""Append-only audit log of sensitive actions, each entry chained to the previous one by a hash."""
