"""Template filters of the reports pages."""
