"""The frozen app's entry script: the same CLI as the ``desktop-chat`` console script."""

import multiprocessing
import sys

from desktop_chat.cli import main

if __name__ == "__main__":
    # A frozen child process re-enters this script; freeze_support stops it here.
    multiprocessing.freeze_support()
    sys.exit(main())
