"""The township sync station: FastAPI app, auth, merge into its database, CLI (no Qt, no desktop/)."""
