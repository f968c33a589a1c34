"""Questions put to a council: a referral (saisine) or a question it takes up itself."""
