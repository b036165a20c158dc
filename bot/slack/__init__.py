"""changebot package."""
