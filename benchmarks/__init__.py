"""Benchmarks of Raqmya at programme scale: a seeded data generator and ratio measurements against baselines."""
