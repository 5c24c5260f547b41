"""The web front door (`zi-media serve`): units upload their submission in a browser and read
their own reports; evaluators see every unit's latest submission in the batch matrix, open
the reports and enter overrides. State lives in SQLite under --data (web.store), files on
disk beside it; the checks run on Dask (batch.cluster) through batch.run.check_one, so a page
shows the same reports the CLI writes."""
