"""Personal data (RGPD): the privacy notice, a person's data export, account deletion, retention purges."""
