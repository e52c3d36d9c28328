"""django-spirit, for the community benchmark: a minimal project (settings, urls) and the driver
that seeds and times it. Runs only inside Spirit's own virtualenv, never in Homeward's."""
