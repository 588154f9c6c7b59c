"""Knowledge-base audits: pure detectors that take plain data and return findings."""
