"""Programme reports computed from the registry: plain data shared by the dashboard, the exports and the API."""
