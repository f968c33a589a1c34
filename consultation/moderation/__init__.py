"""Reports of content, the moderation queue, hiding and restoring, blocking accounts, the participation charter."""
