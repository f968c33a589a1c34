"""People's texts in other languages: translations proposed by anyone, verified by a facilitator, shown
in the reader's language with their provenance; and easy-to-read summaries."""
