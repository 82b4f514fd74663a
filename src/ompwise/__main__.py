from ompwise.cli import run

run()
