"""Every write of the solutions app, one function per change (see ARCHITECTURE.md)."""
