"""The council's opinions (avis) and their PDF."""
