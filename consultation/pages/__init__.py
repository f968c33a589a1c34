"""Static information pages: the accessibility statement (déclaration d'accessibilité)."""
