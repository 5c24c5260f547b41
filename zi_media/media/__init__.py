"""Media facts: the one place that opens containers (probe), and the technical requirements
judged on those facts alone (checks)."""
