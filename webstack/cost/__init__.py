"""Monthly cost of a plan from the price table and usage assumptions in cost/."""
