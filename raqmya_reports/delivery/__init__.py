"""Delivery of the programme reports to people: the dashboard page and the file exports."""
