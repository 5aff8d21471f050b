"""Downloader middlewares of pressarchiv's own (politeness)."""
