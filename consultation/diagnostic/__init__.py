"""A shared territorial diagnostic: challenges proposed, moderated, discussed in workshops and ranked by a vote."""
