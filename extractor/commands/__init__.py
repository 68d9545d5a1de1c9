"""The commands on top of the stages: the command line (cli.py) and what its
subcommands run: inspect, report (with the crops of its evidence), query, export,
dataset and diff, golden cases and the pack tools, and the words they print in."""
