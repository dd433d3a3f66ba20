"""Test helpers of the sync suite: a fault-injecting TCP proxy and client-side helpers."""
