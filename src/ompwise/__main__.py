from ompwise.start import run

run()
