"""``python -m bot`` runs the changebot CLI."""

from bot.cli import main

main()
