"""webstack's CrossGuard rules, grouped by concern; ``catalog`` turns them into policies."""
