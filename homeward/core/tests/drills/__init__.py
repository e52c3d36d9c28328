"""Reliability and security drills (issue 7): faults, backup and restore, fuzzing, the XSS corpus.
Each drill walks what the URLconf, the permission matrix and the models hold when it runs, so new
pages, forms and fields are covered without editing the drill. RELIABILITY.md lists them."""
