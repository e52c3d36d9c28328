"""Casework input, with messages beside each field."""
