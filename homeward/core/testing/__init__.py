"""Test support shared by every app's tests (the browser-journey plugin lives in `browser`)."""
