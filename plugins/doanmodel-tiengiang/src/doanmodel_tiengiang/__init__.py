"""doanmodel plugin for Tỉnh Đoàn Tiền Giang: district emulation criteria and a scoring method."""
