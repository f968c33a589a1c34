"""Cooperative calls for projects: terms drafted in a workshop, applications, a jury, published results."""
