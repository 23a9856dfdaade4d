"""TalentSync: local-first interview practice in the terminal."""

__version__ = "0.1.0"
