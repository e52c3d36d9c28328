"""Every change in casework goes through these functions: one transaction each, with its
audit record and its notifications."""
