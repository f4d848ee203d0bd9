"""Serang Open (proposals): which proposal events reach whom, and their texts."""
