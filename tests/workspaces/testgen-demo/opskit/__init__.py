"""Release and operations helpers used by the deploy pipeline."""
