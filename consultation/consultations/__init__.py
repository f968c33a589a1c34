"""Online consultations of a council: residents propose, support, comment and follow between two dates."""
