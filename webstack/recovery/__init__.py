"""Restores: what `webstack restore-plan` computes from a plan, and what it reads from AWS with --live."""
