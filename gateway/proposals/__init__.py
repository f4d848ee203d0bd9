"""Serang Open over HTTP: applicants, staff, the audit log and the public registry."""
