"""``python -m bot`` runs the changebot CLI."""

from bot.cli.main import main

main()
