"""In-app notifications: what happened to the things a person follows or is responsible for."""
