"""Generated hostile input files for the hardening tests."""
