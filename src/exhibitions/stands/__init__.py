"""Stands: halls and their floor plans, stands, the allocator and assignments."""
