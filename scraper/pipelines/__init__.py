"""Item pipelines, one per module, ordered in scraper/settings.py: normalise, validate,
dedupe, store."""
