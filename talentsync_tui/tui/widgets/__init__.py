"""Reusable widgets of the TalentSync app."""
