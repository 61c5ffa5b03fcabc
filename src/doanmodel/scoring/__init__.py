"""Criteria sets, scoring and ranking with honest ties, sensitivity, the cadre census."""
