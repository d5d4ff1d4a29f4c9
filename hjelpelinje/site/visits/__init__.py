"""Visits to the public website, counted without telling one visitor from another."""
