"""One screen per module; the app imports them lazily to keep start-up fast."""
