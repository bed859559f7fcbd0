"""Welfare pages: cases, the hardship archive, care. Views translate HTTP to selector and
service calls; every view of sensitive details is written to the access log."""
