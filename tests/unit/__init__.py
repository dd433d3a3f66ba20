"""The bottom of the pyramid: core rules, no processes, no network (SQLite files in tmp_path at most)."""
