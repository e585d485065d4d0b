"""Run the command line: python -m logicmine."""

from .cli import main

if __name__ == "__main__":
    main()
