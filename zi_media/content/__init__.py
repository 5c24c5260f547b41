"""Content coverage: what must be said (the profile's content rules) found in a transcript,
with timestamped evidence."""
