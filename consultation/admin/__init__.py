"""Administration: councils, members and roles, CSV invitations of members, blocked accounts."""
