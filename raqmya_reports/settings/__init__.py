"""Settings that the plugin adds to the LMS and Studio settings, one module per settings type."""
