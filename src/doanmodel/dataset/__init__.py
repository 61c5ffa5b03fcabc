"""
Data in and out: the strict loader, column tables, the dated tree, reorganisation, reference
data, round trips, synthetic data, work programmes, the DuckDB store.
"""
