"""`python -m drill`: the same command line as `drill`."""

from drill.cli.main import main

main()
