"""Leicestershire & Rutland Safeguarding Dashboard."""
