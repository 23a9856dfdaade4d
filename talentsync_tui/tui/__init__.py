"""The candidate-facing Textual app; it talks to the core only through `TalentSync`."""
