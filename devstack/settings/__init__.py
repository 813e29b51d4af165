"""Settings of the stand-in LMS."""
