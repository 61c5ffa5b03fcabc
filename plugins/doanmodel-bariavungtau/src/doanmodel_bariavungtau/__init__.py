"""doanmodel plugin for Tỉnh đoàn Bà Rịa – Vũng Tàu: the 30/20/10 split of the 60 days."""
