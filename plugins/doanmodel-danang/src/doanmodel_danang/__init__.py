"""doanmodel plugin for Thành đoàn Đà Nẵng: the 30-day base-visit quota of KH 39 (2018)."""
