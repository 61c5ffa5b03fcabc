"""doanmodel plugin for Tỉnh đoàn Quảng Trị: visit reports are due within 10 days."""
