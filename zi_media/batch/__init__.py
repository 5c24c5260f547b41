"""Many unit folders in one run, with per-unit reports and batch summaries."""
