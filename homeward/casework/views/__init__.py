"""Casework pages: public referral forms, families' own requests, and staff pages."""
