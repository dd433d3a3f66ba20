"""Gridbook desktop: the offline-first client (store, services, sync client, Qt UI, CLI)."""
