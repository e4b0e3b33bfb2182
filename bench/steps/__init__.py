"""One module per benchmark step; each adds rows to the report."""
