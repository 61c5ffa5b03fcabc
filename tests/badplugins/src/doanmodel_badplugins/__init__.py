"""Four misbehaving Cần Thơ plugins: one raises, one fakes its scope, two conflict."""
